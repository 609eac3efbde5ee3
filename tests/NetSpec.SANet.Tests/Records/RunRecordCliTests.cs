using System.Globalization;
using System.Security.Cryptography;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data.Synthetic;
using NetSpec.Samples.SANet.Records;
using NetSpec.SANet.Tests.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Records;

/// <summary>The record a train run leaves in its work dir: run.jsonl and config.yaml, through a resume too.</summary>
public class RunRecordCliTests
{
    private static string[] Train(string spec, string workDir, params string[] extra) =>
        ["train", "--spec", spec, "--work-dir", workDir, "--batch", "2", "--crop", "32", "--device", "cpu", "--seed", "7", .. extra];

    /// <summary>
    /// --log-every 2 and --val-every 3 over 6 iterations: train lines at 2, 4, 6 and val lines at 3, 6, in the order
    /// they happened. The lr is poly: base 0.02 (the built-in default) × batch 2/16 × (1 − it/6)^0.9 at it = done − 1.
    /// </summary>
    [Fact]
    public void ShortRunLogsEachLoggedIterationAndValidation()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, output, error) = CliRunner.Run(Train(spec, dir["work"], "--iters", "6", "--log-every", "2", "--val-every", "3"));
        Assert.True(code == 0, error + output);

        var lines = RunJsonl.Lines(dir["work"]);
        Assert.Equal(["train 2", "val 3", "train 4", "train 6", "val 6"], lines.Select(l => $"{l["type"]} {l["iteration"]}"));
        foreach (var line in lines.Where(l => (string)l["type"]! == "train"))
        {
            long done = (long)line["iteration"]!;
            double lr = 0.02 * 2 / 16 * Math.Pow(1 - ((done - 1) / 6.0), 0.9);
            // The schedule's base (0.0025f) and result are floats, each rounded to 2^-24 relative: |error| <= 2 × 6e-8 × 2.5e-3 = 3e-10.
            Assert.Equal(lr, (double)line["lr"]!, 1e-9);
            Assert.Equal(6, (long)line["max_iterations"]!);
            Assert.Equal(["mask"], line["loss"]!.AsObject().Select(t => t.Key));
            Assert.Equal((double)line["loss"]!["mask"]!, (double)line["total"]!);
            Assert.True((double)line["seconds_per_iteration"]! > 0);
            Assert.True((long)line["managed_heap_bytes"]! > 0 && (long)line["working_set_bytes"]! > 0);
            Assert.True(line.ContainsKey("device_planned_bytes"));
            Assert.True(DateTime.TryParse((string)line["time"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));
        }

        // The log line printed for iteration 2 shows the same loss as run.jsonl's.
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"loss {(double)lines[0]["total"]!:F4}"), output);
        var val = lines[^1];
        var iou = val["class_iou"]!.AsObject();
        Assert.Equal(ShapeKind.Names, iou.Select(c => c.Key));
        Assert.Equal(iou.Average(c => (double)c.Value!), (double)val["mIoU"]!, 12);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"val @ 6: pixAcc {(double)val["pixAcc"]! * 100:F2}  mIoU {(double)val["mIoU"]! * 100:F2}"), output);
    }

    /// <summary>A run stopped at 3 and resumed to 8 records iterations 1..8 once each, with a straight run's values.</summary>
    [Fact]
    public void StoppedAndResumedRunRecordsEveryIterationOnceAsAStraightRunDoes()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        string[] common = ["--iters", "8", "--log-every", "1", "--val-every", "4"];
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["straight"], common)).Code);
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["resumed"], [.. common, "--set", "stop-after=3"])).Code);
        Assert.Equal([1L, 2, 3], RunJsonl.Iterations(dir["resumed"], "train"));
        var resumed = CliRunner.Run(Train(spec, dir["resumed"], [.. common, "--resume"]));
        Assert.True(resumed.Code == 0, resumed.Error);

        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 8], RunJsonl.Iterations(dir["resumed"], "train"));
        Assert.Equal([4L, 8], RunJsonl.Iterations(dir["resumed"], "val"));
        Assert.Equal(RunJsonl.Stable(dir["straight"]), RunJsonl.Stable(dir["resumed"]));

        RunConfig config = RunConfigFile.Read(dir["resumed/config.yaml"]);
        ResumeRecord resume = Assert.Single(config.Resumes);
        Assert.Equal(3, resume.FromIteration);
        Assert.Equal(8, resume.Iterations);
        Assert.Equal(Train(spec, dir["resumed"], [.. common, "--resume"]), resume.CommandLine);
        Assert.Equal(Train(spec, dir["resumed"], [.. common, "--set", "stop-after=3"]), config.CommandLine);
    }

    /// <summary>
    /// A killed run can log past its last checkpoint: lines of iterations 4 and 5 and half a line after the state of
    /// iteration 3. The resume drops them (saying so) and logs 4.. again: no iteration twice, none missing.
    /// </summary>
    [Fact]
    public void ResumeDropsTheLinesLoggedAfterTheCheckpoint()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        string[] common = ["--iters", "6", "--log-every", "1", "--val-every", "100"];
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["straight"], common)).Code);
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["work"], [.. common, "--set", "stop-after=3"])).Code);
        string log = dir["work/run.jsonl"];
        List<string> straight = File.ReadAllLines(dir["straight/run.jsonl"]).ToList();
        File.AppendAllText(log, straight[3] + "\n" + straight[4] + "\n" + straight[5][..20]);

        var resumed = CliRunner.Run(Train(spec, dir["work"], [.. common, "--resume"]));
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains($"{log}: dropped 3 line(s) logged after iteration 3, the checkpoint this run resumes from", resumed.Out);
        Assert.Equal([1L, 2, 3, 4, 5, 6], RunJsonl.Iterations(dir["work"], "train"));
        Assert.Equal(RunJsonl.Stable(dir["straight"]), RunJsonl.Stable(dir["work"]));
    }

    [Fact]
    public void ResumeRefusesARunJsonlLineThatIsNotARecordNamingTheLine()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        string[] common = ["--iters", "4", "--log-every", "1", "--val-every", "100"];
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["work"], [.. common, "--set", "stop-after=2"])).Code);
        string log = dir["work/run.jsonl"];
        var lines = File.ReadAllLines(log);
        File.WriteAllText(log, lines[0] + "\n{\"note\": \"mine\"}\n" + lines[1] + "\n");
        byte[] before = File.ReadAllBytes(log);

        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"], [.. common, "--resume"]));
        Assert.Equal(2, code);
        Assert.Contains($"error: {log}:2: not a record of this sample", error);
        Assert.Equal(before, File.ReadAllBytes(log));
    }

    /// <summary>config.yaml holds the recipe as resolved (defaults included), the spec file's hash, dataset and seed.</summary>
    [Fact]
    public void ConfigYamlRecordsTheResolvedRecipe()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var run = CliRunner.Run(Train(spec, dir["work"], "--iters", "2", "--val-every", "100", "--set", "momentum=0.8", "--set", "val-limit=3"));
        Assert.True(run.Code == 0, run.Error);

        RunConfig c = RunConfigFile.Read(dir["work/config.yaml"]);
        Assert.Equal(TestNetworks.Six, c.Spec.Name);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(spec))), c.Spec.Sha256);
        Assert.Equal(6, c.Spec.Classes);
        Assert.Equal(("builtin", "", 400, 3), (c.Dataset.Kind, c.Dataset.Root, c.Dataset.Train.Images, c.Dataset.Val.Images));
        Assert.Equal(ShapeKind.Names, c.Dataset.ClassNames);
        Assert.Equal((2L, 2, 32, 0.02, 0.0025), (c.Recipe.Iterations, c.Recipe.Batch, c.Recipe.Crop, c.Recipe.BaseLr, c.Recipe.ScaledLr));
        Assert.Equal((0.8, 1e-4, 0.9, 0.75, 1.5, true), (c.Recipe.Momentum, c.Recipe.WeightDecay, c.Recipe.Power, c.Recipe.ScaleMin, c.Recipe.ScaleMax, c.Recipe.Flip));
        Assert.Equal((100, 10, 50), (c.Recipe.ValEvery, c.Recipe.LogEvery, c.Recipe.CheckpointEvery));
        Assert.Equal(7UL, c.Seed);
        Assert.StartsWith("cpu", c.Device);
        Assert.Equal(Train(spec, dir["work"], "--iters", "2", "--val-every", "100", "--set", "momentum=0.8", "--set", "val-limit=3"), c.CommandLine);
        Assert.Empty(c.Resumes);
        Assert.True(DateTime.TryParse(c.Started, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));
        Assert.False(string.IsNullOrEmpty(c.NetspecVersion));
    }

    /// <summary>A work dir holding only a record (its checkpoints deleted) is still a run: replaced only with --force.</summary>
    [Fact]
    public void RecordAloneIsNotReplacedWithoutForce()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Directory.CreateDirectory(dir["work"]);
        File.WriteAllText(dir["work/run.jsonl"], "{\"type\":\"train\",\"iteration\":1}\n");
        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"], "--iters", "2"));
        Assert.Equal(2, code);
        Assert.Contains("already holds a run (run.jsonl)", error);

        var forced = CliRunner.Run(Train(spec, dir["work"], "--iters", "2", "--log-every", "1", "--val-every", "100", "--force"));
        Assert.True(forced.Code == 0, forced.Error);
        Assert.Equal([1L, 2], RunJsonl.Iterations(dir["work"], "train"));
    }

    /// <summary>The checkpoints carry the class names (--class-names here), and eval's table uses them.</summary>
    [Fact]
    public void ClassNamesGoIntoTheCheckpointsAndEvalsTable()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        string[] names = ["sea", "sky", "sand", "rock", "shell", "crab"];
        File.WriteAllLines(dir["names.txt"], names);
        var run = CliRunner.Run(Train(spec, dir["work"], "--iters", "2", "--val-every", "2", "--class-names", dir["names.txt"]));
        Assert.True(run.Code == 0, run.Error);
        Assert.Contains("shell", run.Out);
        foreach (string file in new[] { "last.safetensors", "last.state.safetensors", "best.safetensors" })
            Assert.Equal("[\"sea\",\"sky\",\"sand\",\"rock\",\"shell\",\"crab\"]", SafeTensorsFile.ReadMetadata(dir[$"work/{file}"])["class_names"]);
        Assert.Equal(names, RunJsonl.Lines(dir["work"]).Last()["class_iou"]!.AsObject().Select(c => c.Key));
        Assert.Equal(names, RunConfigFile.Read(dir["work/config.yaml"]).Dataset.ClassNames);

        var eval = CliRunner.Run("eval", "--checkpoint", dir["work/last.safetensors"], "--device", "cpu", "--window", "32");
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains("crab", eval.Out);
        Assert.DoesNotContain("striped-disc", eval.Out);
    }
}
