using NetSpec.Networks;
using NetSpec.Runtime;
using NetSpec.Runtime.Profiling;
using NetSpec.Samples.SANet.Profiling;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.SANet.Tests.Profiling;

/// <summary>
/// Traces of sanet-tiny's steps on the CPU accelerator's kernel path (the launches a GPU gets): record-only equals
/// executed, and a steady-state step neither syncs, copies nor grows the workspace.
/// </summary>
public class StepTraceNetworkTests
{
    private const int Size = 32; // the smallest input whose 1/16 feature map keeps pixels

    // Executed traces run every kernel on the CPU accelerator, whose emulated threads are OS threads that all take part
    // in every launch and meet at every group barrier. A CPU accelerator of 4 threads instead of the default's 16 runs
    // the same kernel code (groups of 4, a two-level tree), traced alike in both modes, with fewer threads to wait for.
    private const int CpuThreads = 4;

    [Fact]
    public void RecordOnlyTracesWhatAnExecutedStepRuns()
    {
        var executed = Traces(TraceMode.Execute, batch: 2);
        var recorded = Traces(TraceMode.RecordOnly, batch: 2);

        Assert.NotEmpty(executed.Train.Steady.Events);
        Assert.Equal(executed.Eval.First.Events, recorded.Eval.First.Events);
        Assert.Equal(executed.Eval.Steady.Events, recorded.Eval.Steady.Events);
        Assert.Equal(executed.Train.First.Events, recorded.Train.First.Events);
        Assert.Equal(executed.Train.Steady.Events, recorded.Train.Steady.Events);
    }

    [Fact]
    public void ASteadyStateStepDoesNoSyncNoCopyAndNoWorkspaceGrowth()
    {
        using Device device = Device.Create("cpu");
        using var network = new SanetTiny(device);
        network.Prepare(2, Size, Size, training: false);
        TracedSteps eval = StepTraces.Eval(network, TraceMode.RecordOnly);
        network.Prepare(2, Size, Size, training: true);
        using var sgd = new MomentumSgd(network, 0.9, 1e-4);
        TracedSteps quiet = StepTraces.Train(network, sgd, TraceMode.RecordOnly, readLosses: false);
        TracedSteps asked = StepTraces.Train(network, sgd, TraceMode.RecordOnly, readLosses: true);

        Assert.True(eval.First.WorkspaceGrowths > 0); // the first step sizes the workspace: growth is seen
        // The first training step may grow it once more (a batch's weight gradients need columns plus one product a
        // image, more than the forward's columns); a growth waits for pending kernels, its only sync.
        Assert.Equal(quiet.First.WorkspaceGrowths, quiet.First.Syncs);
        Assert.Equal(0, quiet.First.Copies);
        foreach (StepTrace steady in new[] { eval.Steady, quiet.Steady })
        {
            Assert.Equal(0, steady.Syncs);
            Assert.Equal(0, steady.Copies);
            Assert.Equal(0, steady.WorkspaceGrowths);
        }

        // the update: one SGD launch for every weight of the network (they lie back to back in its parameter arena)
        Assert.True(network.Parameters.Count(p => p.Kind == ParameterKind.Weight) > 1);
        Assert.Single(quiet.Steady.Events.OfType<KernelLaunch>(), l => l.Name == "sgd.step");

        // reading the losses: one download of one float per loss term (mask, cat, dense), nothing else
        Assert.Equal(0, asked.Steady.Syncs);
        Assert.Equal(0, asked.Steady.WorkspaceGrowths);
        Assert.Equal(Enumerable.Repeat(new HostCopy(CopyKind.Download, 4), 3), asked.Steady.Events.OfType<HostCopy>());
    }

    private static (TracedSteps Eval, TracedSteps Train) Traces(TraceMode mode, int batch)
    {
        using Device device = Device.CreateCpu(CpuThreads);
        using var network = new SanetTiny(device);
        network.InitializeParameters(7);
        network.Prepare(batch, Size, Size, training: false);
        TracedSteps eval = StepTraces.Eval(network, mode);
        network.Prepare(batch, Size, Size, training: true);
        using var sgd = new MomentumSgd(network, 0.9, 1e-4);
        TracedSteps train = StepTraces.Train(network, sgd, mode, readLosses: true);
        return (eval, train);
    }
}
