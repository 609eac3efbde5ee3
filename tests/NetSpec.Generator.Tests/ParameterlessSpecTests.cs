using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using Microsoft.CodeAnalysis;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>A spec without parameters (only relu) is a network too: it compiles and runs its forward.</summary>
public sealed class ParameterlessSpecTests
{
    [Fact]
    public void A_spec_without_parameters_compiles_and_runs_its_forward()
    {
        var run = GeneratorHarness.GenerateOne("""
            classes: 3
            sizes: { N: 1, H: 4, W: 5 }
            inputs:
              image: { shape: [N, 3, H, W] }
            graph:
              act: { op: relu }
            outputs:
              out: act
            """);
        Assert.Empty(run.GeneratorDiagnostics);
        using var stream = new MemoryStream();
        var emit = run.Output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        using var device = Device.Create("cpu");
        using var net = (INetwork)Activator.CreateInstance(Assembly.Load(stream.ToArray()).GetType("NetSpec.Networks.Test")!, device)!;
        net.InitializeParameters(3);
        net.Prepare(2, 4, 5, training: false);
        var image = new float[net.Image.Length];
        for (int i = 0; i < image.Length; i++)
            image[i] = MathF.Sin(0.37f * i) * (i + 1);
        net.Image.View.CopyFromCPU(image);
        net.Forward(training: false);
        var y = new float[net.Output("out").Length];
        net.Output("out").View.CopyToCPU(y);
        Assert.Equal(image.Select(v => MathF.Max(v, 0)), y);
    }
}
