using NetSpec.Networks;
using NetSpec.Runtime;
using NetSpec.Runtime.Profiling;
using NetSpec.Samples.SANet.Profiling;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.SANet.Tests.Profiling;

/// <summary>
/// Issue 15's invariant: a training step's kernel launches and GEMM calls do not grow with the batch (convolutions
/// run whole batches: one im2col and one strided-batched GEMM a group, docs/design/gpu-path.md).
/// </summary>
public class LaunchesVsBatchTests
{
    [Fact]
    public void LaunchesAndGemmCallsPerTrainingStepDoNotGrowWithTheBatch()
    {
        int[] launches = new[] { 1, 2, 4 }.Select(b =>
        {
            using Device device = Device.Create("cpu");
            using var network = new SanetTiny(device);
            network.Prepare(b, 32, 32, training: true);
            using var sgd = new MomentumSgd(network, 0.9, 1e-4);
            StepTrace steady = StepTraces.Train(network, sgd, TraceMode.RecordOnly, readLosses: false).Steady;
            return steady.Launches + steady.GemmCalls;
        }).ToArray();

        Assert.Equal(launches[0], launches[1]);
        Assert.Equal(launches[0], launches[2]);
    }
}
