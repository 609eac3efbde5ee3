using NetSpec.Dsl;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Training;
using NetSpec.Samples.SANet.Networks;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>
/// The memory check's terms against what the runtime allocates: each term computed from the compiled plan before the
/// network exists must equal the size of the buffer the runtime then makes (parameter arena, gradients, momentum,
/// activation arena, the conv workspace after a training step).
/// </summary>
public class PlannedMemoryTests
{
    [Fact]
    public void EachTermIsTheSizeOfTheRuntimesAllocation()
    {
        var spec = SpecFile.Expand(RepoFiles.Path("specs/sanet-tiny.yaml"));
        using Device device = Device.Create("cpu");
        var terms = PlannedMemory.Terms(SpecCompiler.Compile(spec).Network!, device, 8, 96, training: true).ToDictionary(t => t.Name, t => t.Bytes);

        using INetwork network = NetworkRegistry.Create("sanet-tiny", null, "sanet-tiny", device);
        network.InitializeParameters(1);
        using var sgd = new Sgd(device, network.Parameters);
        network.Prepare(8, 96, 96, training: true);
        network.Forward(training: true);
        network.Backward();
        sgd.Step(0.01f);
        device.Synchronize();

        ParameterArena arena = network.Parameters[0].Arena;
        Assert.Equal(4 * arena.ValueLength, terms["parameter values"]);
        Assert.Equal(4 * arena.WeightLength, terms["gradients"]);
        Assert.Equal(4 * sgd.MomentumFloats, terms["momentum"]);
        Assert.Equal(network.PlannedPeakBytes, terms["activations (training plan)"]);
        Assert.Equal(device.WorkspaceBytes, terms["conv workspace"]);
    }

    /// <summary>
    /// A 3×3 conv at stride 2 (im2col, not Winograd) over 64 → 256 channels at 17×17, batch = cores × 2: every core a
    /// worker, so the weight gradient keeps a partial dW (256·64·9 floats) for each worker but the first; the workspace
    /// after forward and both gradients is the largest request, which WorkspaceFloats names.
    /// </summary>
    [Fact]
    public void ConvWorkspaceIsTheLargestRequestOfItsCalls()
    {
        using Device device = Device.Create("cpu");
        int n = 2 * Environment.ProcessorCount, c = 64, h = 17, k = 256;
        var g = new ConvGeometry(3, 3, 2, 2, 1, 1, 1, 1, 1);
        int p = g.OutH(h);
        using var x = device.Accelerator.Allocate1D<float>((long)n * c * h * h);
        using var y = device.Accelerator.Allocate1D<float>((long)n * k * p * p);
        using var w = device.Accelerator.Allocate1D<float>((long)k * c * 9);
        using var dx = device.Accelerator.Allocate1D<float>((long)n * c * h * h);
        using var dw = device.Accelerator.Allocate1D<float>((long)k * c * 9);
        var xt = new Tensor(x.View, n, c, h, h);
        var yt = new Tensor(y.View, n, k, p, p);
        Conv2d.Forward(device, xt, w.View, default, yt, g);
        Conv2d.BackwardInput(device, yt, w.View, new Tensor(dx.View, n, c, h, h), g, accumulate: false);
        Conv2d.BackwardParams(device, xt, yt, dw.View, default, g);

        long floats = Conv2d.WorkspaceFloats(device, n, c, h, h, k, g, training: true);
        Assert.Equal(4 * floats, device.WorkspaceBytes);
        Assert.True(floats >= (Environment.ProcessorCount - 1L) * k * c * 9, $"{floats} floats hold no partial dW per extra worker");
    }
}
