using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>The generated networks (specs/sanet-tiny.yaml, samples/SANet/Specs/sanet-tiny-voc.yaml) through the real CLI.</summary>
public class RealNetworkTests
{
    private static string[] TinyTrain(string workDir, params string[] extra) =>
        ["train", "--work-dir", workDir, "--batch", "2", "--crop", "32", "--device", "cpu", "--log-every", "1", .. extra];

    /// <summary>
    /// One straight run (which also shows logging, validation and checkpoints), then the same run stopped after
    /// iteration 1 and resumed. The CPU's host code sums in a fixed order (no atomics), so the resumed run must
    /// end with the very same bits.
    /// </summary>
    [Fact]
    public void SanetTinyTrainsValidatesCheckpointsAndResumes()
    {
        using var dir = new TempDir();
        string[] common = ["--iters", "2", "--val-every", "2", "--set", "val-limit=2", "--seed", "3"];
        var (code, output, error) = CliRunner.RunProcess(new Dictionary<string, string> { ["SANET_TRACE_POINTS"] = "1" }, TinyTrain(dir["straight"], common));
        Assert.True(code == 0, error + output);
        Assert.Contains("sanet-tiny on cpu", output);
        Assert.Matches(@"iter 2/2 .* loss \d+\.\d+ .*mask \d+\.\d+ .*cat \d+\.\d+ .*dense \d+\.\d+", output);
        Assert.Contains("val @ 2: pixAcc", output);
        Assert.Contains("dotted-triangle", output);
        Assert.True(File.Exists(dir["straight/best.safetensors"]));

        var (straight, meta) = SafeTensorsFile.Read(dir["straight/last.safetensors"]);
        Assert.Equal("sanet-tiny", meta["spec"]);
        Assert.Contains(straight, w => w.Name.StartsWith("backbone.", StringComparison.Ordinal));
        Assert.Contains(straight, w => w.Name.StartsWith("head.", StringComparison.Ordinal));
        var counters = straight.Where(w => w.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(counters);
        Assert.All(counters, c => Assert.Equal(SafeDType.I64, c.DType));
        Assert.All(counters, c => Assert.Equal(2f, c.ToFloats()[0]));

        Assert.Equal(0, CliRunner.RunProcess(TinyTrain(dir["resumed"], [.. common, "--set", "stop-after=1"])).Code);
        var resumed = CliRunner.RunProcess(TinyTrain(dir["resumed"], [.. common, "--resume"]));
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("resumed from", resumed.Out);

        var again = SafeTensorsFile.Read(dir["resumed/last.safetensors"]).Tensors;
        Assert.Equal(straight.Select(t => t.Name), again.Select(t => t.Name));
        for (int i = 0; i < straight.Count; i++)
        {
            float[] a = straight[i].ToFloats(), b = again[i].ToFloats();
            float worst = a.Zip(b, (x, y) => Math.Abs(x - y) / Math.Max(1f, Math.Abs(x))).DefaultIfEmpty(0f).Max();
            Assert.True(a.AsSpan().SequenceEqual(b), $"{straight[i].Name} differs by {worst} (relative) after resume");
        }

        // Killed (SIGKILL) at the start of iteration 2, and inside the final save between the state's flush and
        // its rename (last.safetensors and best.safetensors already hold iteration 2): resumed, the same files.
        string[] points = error.Split('\n').Where(l => l.StartsWith("point ", StringComparison.Ordinal)).ToArray();
        foreach (string point in new[] { points.First(p => p.EndsWith(": iteration 2", StringComparison.Ordinal)), points.Last(p => p.EndsWith(": last.state.safetensors: written and flushed, not yet renamed", StringComparison.Ordinal)) })
        {
            string n = point["point ".Length..point.IndexOf(':', StringComparison.Ordinal)], work = dir[$"killed-{n}"];
            var killed = CliRunner.RunProcess(new Dictionary<string, string> { ["SANET_KILL_AT"] = n }, TinyTrain(work, common));
            Assert.True(killed.Code == 137 && killed.Error.Contains(point, StringComparison.Ordinal), $"{point}: exit {killed.Code} {killed.Error}");
            var again2 = CliRunner.RunProcess(TinyTrain(work, [.. common, "--resume"]));
            Assert.True(again2.Code == 0, again2.Error);
            foreach (string file in new[] { "last.safetensors", "best.safetensors", "last.state.safetensors" })
                Assert.True(File.ReadAllBytes(Path.Combine(work, file)).SequenceEqual(File.ReadAllBytes(dir[$"straight/{file}"])), $"{point}: {file} differs");
        }
    }

    [Fact]
    public void SanetTinyVocTrainsAndEvaluatesOnAVocLayout()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir["data"], train: 2, val: 2, width: 40, height: 32);
        string spec = RepoFiles.Path("samples/SANet/Specs/sanet-tiny-voc.yaml");
        var train = CliRunner.RunProcess("train", "--spec", spec, "--data", dir["data"], "--dataset", "voc", "--iters", "2", "--batch", "2",
            "--crop", "32", "--val-every", "2", "--work-dir", dir["work"], "--device", "cpu");
        Assert.True(train.Code == 0, train.Error + train.Out);
        Assert.Contains("sanet-tiny-voc on cpu", train.Out);
        Assert.Contains("tvmonitor", train.Out);

        var eval = CliRunner.RunProcess("eval", "--checkpoint", dir["work/best.safetensors"], "--data", dir["data"], "--dataset", "voc",
            "--flip", "--window", "32", "--device", "cpu");
        Assert.True(eval.Code == 0, eval.Error + eval.Out);
        Assert.Matches(@"pixAcc \d+\.\d\d  mIoU \d+\.\d\d", eval.Out);
    }
}
