using System.Globalization;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>The train command never overwrites a run without --force, and checks its work dir before training.</summary>
public class WorkDirCliTests
{
    private static string[] Train(string spec, string workDir, params string[] extra) =>
        ["train", "--spec", spec, "--work-dir", workDir, "--batch", "2", "--crop", "32", "--device", "cpu", "--log-every", "2",
         "--val-every", "2", "--iters", "4", "--seed", "5", .. extra];

    /// <summary>Every file of the folder with its bytes: "nothing was written" means this did not change.</summary>
    private static Dictionary<string, byte[]> Snapshot(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static void AssertUnchanged(Dictionary<string, byte[]> before, string dir)
    {
        var after = Snapshot(dir);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before)
            Assert.True(bytes.SequenceEqual(after[name]), $"{name} was rewritten");
    }

    private static (TempDir Dir, string Spec, string Work) FinishedRun()
    {
        var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var run = CliRunner.Run(Train(spec, dir["work"]));
        Assert.True(run.Code == 0, run.Error);
        return (dir, spec, dir["work"]);
    }

    [Fact]
    public void ResumeWithTheStateFileMissingRefusesAndKeepsTheWeights()
    {
        var (dir, spec, work) = FinishedRun();
        using var _ = dir;
        File.Delete(Path.Combine(work, "last.state.safetensors"));
        var before = Snapshot(work);

        foreach (string[] extra in new[] { new[] { "--resume" }, [] })
        {
            var (code, output, error) = CliRunner.Run(Train(spec, work, extra));
            Assert.Equal(2, code);
            Assert.Contains("last.safetensors, best.safetensors", error);
            Assert.Contains("--force", error);
            Assert.Single(error.Trim().Split('\n'));
            Assert.DoesNotContain("iter ", output);
            AssertUnchanged(before, work);
        }
    }

    [Fact]
    public void ForceStartsAFreshRunReplacingTheOldFiles()
    {
        var (dir, spec, work) = FinishedRun();
        using var _ = dir;
        var (code, output, error) = CliRunner.Run(Train(spec, work, "--force", "--iters", "2", "--set", "stop-after=1"));
        Assert.True(code == 0, error);
        Assert.Contains($"--force: a fresh run replaces last.state.safetensors, last.safetensors, best.safetensors, config.yaml, run.jsonl in {work}", output);
        Assert.Equal("1", SafeTensorsFile.Read(Path.Combine(work, "last.safetensors")).Metadata["iteration"]);
        Assert.False(File.Exists(Path.Combine(work, "best.safetensors")), "the old run's best must not outlive --force");
    }

    [Fact]
    public void ResumeAndForceTogetherIsAUsageError()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"], "--resume", "--force"));
        Assert.Equal(2, code);
        Assert.Contains("not both", error);
        Assert.False(Directory.Exists(dir["work"]));
    }

    [Fact]
    public void WorkDirThatIsAFileIsAnErrorBeforeTraining()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        File.WriteAllText(dir["work"], "not a folder");
        var (code, output, error) = CliRunner.Run(Train(spec, dir["work"]));
        Assert.Equal(2, code);
        Assert.Equal($"error: --work-dir {dir["work"]}: is a file, not a folder", error.Trim());
        Assert.DoesNotContain("iter ", output);
        Assert.Equal("not a folder", File.ReadAllText(dir["work"]));
    }

    /// <summary>
    /// Tests run as root here, so a chmod'ed folder would stay writable; /proc refuses new files to everyone.
    /// Before the probe this failed only at the first checkpoint, after training.
    /// </summary>
    [Theory]
    [InlineData("/proc/sanet-work")]
    [InlineData("/proc/self")]
    public void UnwritableWorkDirIsAnErrorBeforeTraining(string work)
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, output, error) = CliRunner.Run(Train(spec, work));
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --work-dir {work}: cannot write there (", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("iter ", output);
    }

    [Fact]
    public void StaleTemporaryFilesAreRemovedAtStart()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Directory.CreateDirectory(dir["work"]);
        File.WriteAllText(dir["work/last.state.safetensors.tmp-123-abc"], "half a checkpoint");
        File.WriteAllText(dir["work/notes.txt"], "mine");
        var (code, output, error) = CliRunner.Run(Train(spec, dir["work"], "--resume"));
        Assert.True(code == 0, error);
        Assert.Contains("removed 1 temporary file(s) left by an interrupted save: last.state.safetensors.tmp-123-abc", output);
        Assert.Contains("no checkpoint in", output);
        Assert.Equal([WorkDirLock.LockName, "best.safetensors", "config.yaml", "last.safetensors", "last.state.safetensors", "notes.txt", "run.jsonl"], Directory.GetFiles(dir["work"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ResumingAFinishedRunSaysSoAndWritesNothing()
    {
        var (dir, spec, work) = FinishedRun();
        using var _ = dir;
        var before = Snapshot(work);
        var (code, output, error) = CliRunner.Run(Train(spec, work, "--resume", "--iters", "4"));
        Assert.True(code == 0, error);
        Assert.Equal($"{work}: the run finished at iteration 4 of 4; to train further pass --resume --iters N with N > 4", output.Trim().Split('\n')[^1]);
        AssertUnchanged(before, work);

        // Without --iters the recorded total holds (the default of 1000 would otherwise extend it).
        var plain = CliRunner.Run([.. Train(spec, work, "--resume").Where(a => a != "--iters" && a != "4")]);
        Assert.True(plain.Code == 0, plain.Error);
        Assert.Contains("finished at iteration 4 of 4", plain.Out);
        AssertUnchanged(before, work);
    }

    /// <summary>
    /// --iters 6 on a run recorded with 4: the lr of the iterations 5 and 6 follows poly over 6, lr = base·(1 − it/6)^0.9
    /// with base = 0.02 (the built-in default) × batch 2 / 16; over the old total 4 it would be 0 from iteration 5 on.
    /// </summary>
    [Fact]
    public void ResumeWithMoreIterationsExtendsTheRunOverTheNewTotal()
    {
        var (dir, spec, work) = FinishedRun();
        using var _ = dir;
        var (code, output, error) = CliRunner.Run(Train(spec, work, "--resume", "--iters", "6"));
        Assert.True(code == 0, error);
        Assert.Contains("extending the run from 4 to 6 iterations; the poly lr schedule is recomputed over 6", output);
        double lr = 0.02 * 2 / 16 * Math.Pow(1 - (5.0 / 6), 0.9); // iteration 6 runs at it = 5
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"iter 6/6  lr {(float)lr:E2}"), output);
        Assert.Equal("6", SafeTensorsFile.Read(Path.Combine(work, "last.safetensors")).Metadata["iteration"]);
    }

    [Theory]
    [InlineData("--iters", "3", "--iters 3: the run in {work} is already at iteration 4 of 4; give more than 4")]
    [InlineData("--lr", "0.5", "cannot resume with --lr 0.5 (the run was recorded with 0.02)")]
    [InlineData("--set", "momentum=0.8", "cannot resume with --set momentum=0.8 (the run was recorded with 0.9)")]
    [InlineData("--crop", "16", "cannot resume with --crop 16 (the run was recorded with 32)")]
    [InlineData("--seed", "6", "cannot resume with --seed 6 (the run was recorded with 5)")]
    public void ResumeWithADifferentRecipeOrFewerIterationsIsAnError(string option, string value, string expected)
    {
        var (dir, spec, work) = FinishedRun();
        using var _ = dir;
        var before = Snapshot(work);
        var (code, _, error) = CliRunner.Run(Train(spec, work, "--resume", option, value));
        Assert.Equal(2, code);
        Assert.Contains(expected.Replace("{work}", work, StringComparison.Ordinal), error);
        Assert.Single(error.Trim().Split('\n'));
        AssertUnchanged(before, work);
    }

    /// <summary>
    /// A best.safetensors that records a higher mIoU than the state knows of (written just before a kill, or by a
    /// better evaluation) is kept: the resumed run replaces it only with a better one, and none here reaches 1.
    /// </summary>
    [Fact]
    public void ResumeNeverReplacesABetterBest()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["work"], "--set", "stop-after=2")).Code);
        var (tensors, meta) = SafeTensorsFile.Read(dir["work/best.safetensors"]);
        meta["miou"] = "1";
        SafeTensorsFile.Write(dir["work/best.safetensors"], tensors, meta);
        byte[] best = File.ReadAllBytes(dir["work/best.safetensors"]);

        var resumed = CliRunner.Run(Train(spec, dir["work"], "--resume"));
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("val @ 4", resumed.Out);
        Assert.Equal(best, File.ReadAllBytes(dir["work/best.safetensors"]));
    }
}
