using BenchmarkDotNet.Attributes;
using NetSpec.Runtime;

namespace NetSpec.Benchmarks;

/// <summary>A whole-network case at a reduced size (the CPU accelerator is slow at full size).</summary>
public sealed record NetCase(string Spec, int Batch, int Size)
{
    public static IEnumerable<NetCase> All =>
    [
        new("sanet-tiny", 8, 96),
        new("sanet-r50", 1, 96),
    ];

    public override string ToString() => $"{Spec} b{Batch} {Size}x{Size}";
}

/// <summary>
/// Forward (eval) and a full training step (forward + losses + backward + SGD update) through INetwork.
/// Monitoring strategy: one invocation per iteration (a step takes milliseconds to seconds).
/// </summary>
[Config(typeof(NetworkConfig))]
public class NetworkBenchmarks
{
    private Device device = null!;
    private INetwork net = null!;
    private TrainingStep? step;

    [ParamsSource(nameof(Cases))]
    public NetCase Case { get; set; } = null!;

    public static IEnumerable<NetCase> Cases => NetCase.All;

    [GlobalSetup(Target = nameof(Forward))]
    public void SetupForward() => Setup(training: false);

    [GlobalSetup(Target = nameof(TrainStep))]
    public void SetupTrain() => Setup(training: true);

    private void Setup(bool training)
    {
        device = Device.Create(Environment.GetEnvironmentVariable("NETSPEC_BENCH_DEVICE") ?? "cpu");
        net = Networks.Create(Case.Spec, device);
        net.InitializeParameters(seed: 0);
        net.Prepare(Case.Batch, Case.Size, Case.Size, training);
        Networks.WriteInputs(net, null, seed: 0);
        if (training)
            step = new TrainingStep(net);
    }

    [Benchmark]
    public void Forward()
    {
        net.Forward(training: false);
        device.Synchronize();
    }

    [Benchmark]
    public float TrainStep()
    {
        step!.Run();
        return step.LastLoss;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        step?.Dispose();
        net.Dispose();
        device.Dispose();
    }
}
