using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>
/// A run killed (SIGKILL, through <see cref="FaultPoints"/>) at every one of its fault points — each iteration's
/// start and each step of every atomic save: temporary file created, header written, data flushed, renamed — and
/// then resumed ends with the very same files as a straight run (as in TrainCliTests'
/// StoppedAndResumedRunEndsWithTheSameWeightsAsAStraightOne, whose PixelNet sums in a fixed order), with no
/// temporary file left behind, and with the straight run's run.jsonl (each iteration once: the lines a killed run
/// logged after its last checkpoint are dropped at the resume) — its values, not its clock times.
/// </summary>
public class KillAndResumeTests
{
    private static readonly string[] Files = ["last.state.safetensors", "last.safetensors", "best.safetensors"];

    /// <summary>The run's record (samples/SANet/Records): config.yaml differs by its times, run.jsonl is compared by value.</summary>
    private static readonly string[] Record = ["config.yaml", "run.jsonl"];

    private static string[] Train(string spec, string workDir, params string[] extra) =>
        ["train", "--spec", spec, "--work-dir", workDir, "--batch", "2", "--crop", "32", "--device", "cpu", "--log-every", "1",
         "--iters", "3", "--val-every", "3", "--set", "checkpoint-every=2", "--seed", "11", .. extra];

    [Fact]
    public void RunKilledAtAnyPointResumesToTheStraightRunsFiles()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var straight = CliRunner.RunChild(new Dictionary<string, string> { ["SANET_TRACE_POINTS"] = "1" }, Train(spec, dir["straight"]));
        Assert.True(straight.Code == 0, straight.Error + straight.Out);
        List<string> points = straight.Error.Split('\n').Where(l => l.StartsWith("point ", StringComparison.Ordinal)).ToList();

        // The trace names every step of each file's save, and the iterations between saves.
        foreach (string file in Files)
        {
            foreach (string step in new[] { "temporary file created", "header written, data not yet", "written and flushed, not yet renamed", "renamed into place" })
                Assert.Contains(points, p => p.EndsWith($": {file}: {step}", StringComparison.Ordinal));
        }

        // The state at iteration 0 (4 steps), config.yaml (an atomic write without a header: 3 steps), 3 iteration
        // starts, the checkpoint at 2 (last + state: 8 steps) and the final one at 3 with the first validation
        // (best + last + state: 12 steps).
        Assert.True(points.Count == 4 + 3 + 3 + 8 + 12, string.Join("\n", points));
        foreach (string step in new[] { "temporary file created", "written and flushed, not yet renamed", "renamed into place" })
            Assert.Contains(points, p => p.EndsWith($": config.yaml: {step}", StringComparison.Ordinal));
        Assert.Contains(points, p => p.EndsWith(": iteration 3", StringComparison.Ordinal));
        var expected = Files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(dir["straight"], f)));
        List<string> expectedLog = Records.RunJsonl.Stable(dir["straight"]);

        // Each kill + resume pair has its own work dir: run them side by side, a pair per core.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(1, points.Count + 1, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            string point = points[k - 1], work = dir[$"killed-{k}"];
            foreach (string failure in KillThenResume(spec, work, k, point, expected, expectedLog))
                failures.Add($"{point}: {failure}");
        });

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order(StringComparer.Ordinal)));
    }

    private static IEnumerable<string> KillThenResume(string spec, string work, int k, string point, Dictionary<string, byte[]> expected, List<string> expectedLog)
    {
        var killed = CliRunner.RunChild(new Dictionary<string, string> { ["SANET_KILL_AT"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Train(spec, work));
        if (killed.Code != 137 || !killed.Error.Contains(point, StringComparison.Ordinal))
        {
            yield return $"the kill did not happen there (exit {killed.Code}): {killed.Error.Trim()}";
            yield break;
        }

        var resumed = CliRunner.RunChild(new Dictionary<string, string>(), Train(spec, work, "--resume"));
        if (resumed.Code != 0)
        {
            yield return $"resume exit {resumed.Code}: {resumed.Error.Trim()}";
            yield break;
        }

        foreach (string file in Files)
        {
            string path = Path.Combine(work, file);
            if (!File.Exists(path) || !File.ReadAllBytes(path).SequenceEqual(expected[file]))
                yield return $"{file} differs from the straight run's";
        }

        List<string> log = Records.RunJsonl.Stable(work);
        if (!log.SequenceEqual(expectedLog))
            yield return $"run.jsonl differs from the straight run's:\n  {string.Join("\n  ", log)}";

        string[] left = Directory.GetFiles(work).Select(f => Path.GetFileName(f)).Except([.. Files, .. Record, WorkDirLock.LockName]).ToArray(); // the lock file stays (WorkDirLock)
        if (left.Length > 0)
            yield return $"left {string.Join(", ", left)}";
    }
}
