using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>
/// A run killed (SIGKILL, through <see cref="FaultPoints"/>) at every one of its fault points — each iteration's
/// start and each step of every atomic save: temporary file created, header written, data flushed, renamed — and
/// then resumed ends with the very same files as a straight run (as in TrainCliTests'
/// StoppedAndResumedRunEndsWithTheSameWeightsAsAStraightOne, whose PixelNet sums in a fixed order), with no
/// temporary file left behind.
/// </summary>
public class KillAndResumeTests
{
    private static readonly string[] Files = ["last.state.safetensors", "last.safetensors", "best.safetensors"];

    private static string[] Train(string spec, string workDir, params string[] extra) =>
        ["train", "--spec", spec, "--work-dir", workDir, "--batch", "2", "--crop", "32", "--device", "cpu", "--log-every", "1",
         "--iters", "4", "--val-every", "2", "--set", "checkpoint-every=2", "--seed", "11", .. extra];

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

        Assert.Contains(points, p => p.EndsWith(": iteration 3", StringComparison.Ordinal));
        Assert.True(points.Count >= 4 + (3 * 4 * 2), string.Join("\n", points));
        var expected = Files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(dir["straight"], f)));

        var failures = new List<string>();
        for (int k = 1; k <= points.Count; k++)
        {
            string work = dir[$"killed-{k}"];
            var killed = CliRunner.RunChild(new Dictionary<string, string> { ["SANET_KILL_AT"] = k.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Train(spec, work));
            Assert.True(killed.Code == 137, $"kill at {points[k - 1]}: exit {killed.Code}\n{killed.Error}");
            Assert.Contains(points[k - 1], killed.Error);

            var resumed = CliRunner.RunChild(new Dictionary<string, string>(), Train(spec, work, "--resume"));
            if (resumed.Code != 0)
            {
                failures.Add($"{points[k - 1]}: resume exit {resumed.Code}: {resumed.Error.Trim()}");
                continue;
            }

            foreach (string file in Files)
            {
                string path = Path.Combine(work, file);
                if (!File.Exists(path) || !File.ReadAllBytes(path).SequenceEqual(expected[file]))
                    failures.Add($"{points[k - 1]}: {file} differs from the straight run's");
            }

            string[] left = Directory.GetFiles(work).Select(Path.GetFileName).Except(Files).ToArray()!;
            if (left.Length > 0)
                failures.Add($"{points[k - 1]}: left {string.Join(", ", left)}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
