using ILGPU.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>An op added to the catalogue (leaky_relu) reaches generated code that compiles against the runtime and computes its forward.</summary>
public sealed class NewOpTests
{
    [Fact]
    public void Leaky_relu_compiles_and_runs_its_forward()
    {
        using var device = Device.Create("cpu");
        using var net = GeneratorHarness.ForwardOne(device, """
            groups:
              all: { members: [conv] }
            graph:
              conv: { op: conv2d, out_channels: 4, kernel: 1 }
              act: { op: leaky_relu, slope: 0.25 }
            outputs:
              pre: conv
              out: act
            """);
        var x = new float[net.Output("pre").Length];
        var y = new float[x.Length];
        net.Output("pre").View.CopyToCPU(x);
        net.Output("out").View.CopyToCPU(y);

        // 0.25 is a power of two: 0.25·x is exact in float, so the output equals the reference exactly
        Assert.Contains(x, v => v < 0);
        Assert.Equal(x.Select(v => v > 0 ? v : 0.25f * v), y);
    }
}
