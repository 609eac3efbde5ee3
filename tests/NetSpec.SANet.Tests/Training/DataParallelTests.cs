using NetSpec.Runtime;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Tests.Distributed;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Cli;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;
using Spectre.Console.Rendering;
using Xunit.Abstractions;

namespace NetSpec.SANet.Tests.Training;

/// <summary>
/// Data-parallel training of sanet-tiny on the built-in data, ranks as threads (each with its own device and network,
/// <see cref="ThreadCommunicator"/>): 2 ranks × batch 4 against 1 process × batch 8, same seed, 5 SGD steps; and a
/// run stopped at a 2-rank step, resumed on 1 and on 2 ranks.
/// </summary>
public sealed class DataParallelTests(ITestOutputHelper output)
{
    private const int Steps = 5;
    private const double U = 1.0 / (1 << 24); // float's unit roundoff

    // The runs differ only in the order of float sums: a conv's weight gradient sums N·P·Q products (8·48·48 at the
    // first conv, the longest) in one process, two halves of 4·48·48 added by the all-reduce here; SyncBN and the
    // losses reorder sums of the same lengths or shorter. A float sum of n terms is off by at most γn ≈ n·u relative to
    // Σ|terms| (u = 2^-24), so each step's gradient by at most n·u = 18,432·u ≈ 1.1e-3 of its magnitude; over 5 steps the
    // weights' updates by at most 5·n·u of the largest update of their tensor, the losses by as much relative.
    private const double Relative = Steps * 8 * 48 * 48 * U;

    [Fact]
    public void TwoRanksOfFourEqualOneProcessOfEight()
    {
        using var dir = new TempDir();
        TrainOptions options = Options(dir["one"]);
        Run rank1 = TrainOneProcess(options);
        Run[] ranks = TrainRanks(2, options with { WorkDir = dir["two"] });

        Dictionary<string, float[]> initial = InitialWeights(options);
        double lossDiff = rank1.Losses.Zip(ranks[0].Losses, (a, b) => Math.Abs((double)a - b) / Math.Abs((double)a)).Max();
        output.WriteLine($"losses, 1×8: {string.Join(", ", rank1.Losses.Select(l => l.ToString("F6")))}");
        output.WriteLine($"losses, 2×4: {string.Join(", ", ranks[0].Losses.Select(l => l.ToString("F6")))}");
        output.WriteLine($"max relative loss difference {lossDiff:E2} (tolerance {Relative:E2})");
        Assert.Equal(Steps, rank1.Losses.Count);
        Assert.True(lossDiff <= Relative, $"losses differ by {lossDiff:E3} relative, over {Relative:E3}");
        CompareWeights("1×8 against 2×4", Weights(dir["one"]), Weights(dir["two"]), initial, Relative);
    }

    [Fact]
    public void ARunStoppedOnTwoRanksResumesOnOneAndOnTwo()
    {
        using var dir = new TempDir();
        TrainOptions options = Options(dir["whole"]);
        TrainRanks(2, options);
        TrainRanks(2, options with { WorkDir = dir["stopped"], StopAfter = 2 });
        CopyFolder(dir["stopped"], dir["on1"]);
        CopyFolder(dir["stopped"], dir["on2"]);
        TrainOneProcess(options with { WorkDir = dir["on1"], Resume = true });
        TrainRanks(2, options with { WorkDir = dir["on2"], Resume = true });

        Dictionary<string, float[]> whole = Weights(dir["whole"]), initial = InitialWeights(options);
        Assert.Equal(Steps.ToString(), SafeTensorsFile.ReadMetadata(Path.Combine(dir["on1"], "last.safetensors"))["iteration"]);
        // on 2 ranks the resumed run repeats the uninterrupted one's arithmetic: the same bits
        CompareWeights("resumed on 2 against uninterrupted on 2", whole, Weights(dir["on2"]), initial, 0);
        // on 1 rank its last 3 steps sum in the one-process order (3 of the 5 steps' bound)
        CompareWeights("resumed on 1 against uninterrupted on 2", whole, Weights(dir["on1"]), initial, Relative);
    }

    private static TrainOptions Options(string workDir) => TrainCommand.Resolve(new TrainSettings
    {
        Iters = Steps,
        Batch = 8,
        Crop = 48,
        Device = "cpu",
        WorkDir = workDir,
        LogEvery = 1,
        ValEvery = 1000,
        Set = ["val-limit=2", "checkpoint-every=1"],
    }).Options;

    private void CompareWeights(string what, Dictionary<string, float[]> expected, Dictionary<string, float[]> actual,
        Dictionary<string, float[]> initial, double relative)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        double worst = 0;
        string worstName = "";
        foreach (var (name, e) in expected)
        {
            float[] a = actual[name];
            // the tolerance scales with the largest update of the tensor over the run (running stats: their change too)
            double update = initial.TryGetValue(name, out float[]? w0) ? e.Zip(w0, (x, y) => Math.Abs((double)x - y)).Max() : e.Max(v => Math.Abs((double)v));
            double diff = e.Zip(a, (x, y) => Math.Abs((double)x - y)).Max();
            double ratio = diff == 0 ? 0 : diff / Math.Max(update, double.Epsilon);
            if (ratio > worst)
                (worst, worstName) = (ratio, name);
            Assert.True(diff <= relative * update, $"{what}: {name} differs by {diff:E3}, over {relative:E2} × its largest update {update:E3}");
        }

        output.WriteLine($"{what}: {expected.Count} tensors; max |difference| / largest update {worst:E2} ({worstName}), tolerance {relative:E2}");
    }

    private static Dictionary<string, float[]> Weights(string workDir) =>
        SafeTensorsFile.Read(Path.Combine(workDir, "last.safetensors")).Tensors
            .Where(t => t.DType == SafeDType.F32).ToDictionary(t => t.Name, t => t.ToFloats());

    private static Dictionary<string, float[]> InitialWeights(TrainOptions options)
    {
        using Device device = Device.Create("cpu");
        using INetwork network = NetworkRegistry.Create(options.SpecName, options.SpecClass, options.SpecOrigin, device);
        network.InitializeParameters(options.Seed);
        return StateDict.Save(network).Where(t => t.DType == SafeDType.F32).ToDictionary(t => t.Name, t => t.ToFloats());
    }

    private static Run TrainOneProcess(TrainOptions options)
    {
        var reporter = new Recorder();
        new Trainer(options, reporter).Run(CancellationToken.None);
        return new Run(reporter.Losses);
    }

    private static Run[] TrainRanks(int size, TrainOptions options) => ThreadCommunicator.Run(size, comm =>
    {
        var reporter = new Recorder();
        new Trainer(options, comm.Rank == 0 ? reporter : QuietReporter.Instance, comm).Run(CancellationToken.None);
        return new Run(reporter.Losses);
    });

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    private sealed record Run(List<float> Losses);

    private sealed class Recorder : ITrainReporter
    {
        public List<float> Losses { get; } = [];

        public void Line(string text) { }

        public void Render(IRenderable table) { }

        public void Progress(long done, long total) { }

        void ITrainReporter.Losses(long iteration, LossValues losses) => Losses.Add(losses.Total);
    }
}
