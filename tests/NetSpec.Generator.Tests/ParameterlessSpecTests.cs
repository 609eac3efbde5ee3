using ILGPU.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>A spec without parameters (only relu) is a network too: it compiles and runs its forward.</summary>
public sealed class ParameterlessSpecTests
{
    [Fact]
    public void A_spec_without_parameters_compiles_and_runs_its_forward()
    {
        using var device = Device.Create("cpu");
        using var net = GeneratorHarness.ForwardOne(device, """
            graph:
              act: { op: relu }
            outputs:
              out: act
            """);
        var y = new float[net.Output("out").Length];
        net.Output("out").View.CopyToCPU(y);
        Assert.Equal(Enumerable.Range(0, y.Length).Select(i => MathF.Max(GeneratorHarness.ForwardOneImage(i), 0)), y);
    }
}
