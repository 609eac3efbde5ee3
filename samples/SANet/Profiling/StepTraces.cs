using NetSpec.Runtime;
using NetSpec.Runtime.Profiling;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.Samples.SANet.Profiling;

/// <summary>The first and a steady-state step of a network, each traced on its own (the first one grows the workspace).</summary>
public sealed record TracedSteps(StepTrace First, StepTrace Steady);

/// <summary>
/// Drives a prepared network through traced steps on the kernel path (the ops a GPU runs), executed or
/// record-only: an eval forward, or a training step as the trainer runs it (forward with losses, the losses
/// read back when asked, backward, SGD).
/// </summary>
public static class StepTraces
{
    /// <param name="gridThreads">Record-only: the resident threads of the GPU to size launches for (0: this device's).</param>
    public static TracedSteps Eval(INetwork network, TraceMode mode, long gridThreads = 0) =>
        Twice(network.Device, mode, gridThreads, () => network.Forward(training: false));

    public static TracedSteps Train(INetwork network, MomentumSgd sgd, TraceMode mode, bool readLosses, long gridThreads = 0) =>
        Twice(network.Device, mode, gridThreads, () =>
        {
            network.Forward(training: true);
            if (readLosses)
                network.ReadLosses();
            network.Backward();
            sgd.Step(0.01);
        });

    private static TracedSteps Twice(Device device, TraceMode mode, long gridThreads, Action step) =>
        new(Once(device, mode, gridThreads, step), Once(device, mode, gridThreads, step));

    private static StepTrace Once(Device device, TraceMode mode, long gridThreads, Action step)
    {
        StepTrace trace = device.BeginTrace(mode, kernelPath: true, gridThreads);
        try
        {
            step();
        }
        finally
        {
            device.EndTrace();
        }

        return trace;
    }
}
