using System.Diagnostics;
using System.Text.RegularExpressions;

namespace NetSpec.Package.Tests;

/// <summary>
/// Issue 13: NetSpec used from the outside. scripts/consumer-test.sh packs the three packages into a folder feed, packs
/// them again from clean and compares every file (deterministic builds), builds docs/using-netspec.md's program in a
/// fresh project from them, trains, saves, reloads and compares predictions, exports to ONNX and compares ONNX
/// Runtime's logits with NetSpec's, then checks that a misspelled op fails that project's build at its YAML line
/// (tests/consumer/).
/// </summary>
public sealed class ConsumerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Two packs of three packages, a restore, two consumer builds: about 4 minutes on 2 busy cores; a hang is stopped at 15.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NetSpec.sln")))
                return dir.FullName;
        throw new InvalidOperationException("NetSpec.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>1-based line and column of the first <paramref name="token"/>: where the build must point.</summary>
    private static (int Line, int Column) Position(string[] lines, string token)
    {
        int index = Array.FindIndex(lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{token}' not in the broken spec");
        return (index + 1, lines[index].IndexOf(token, StringComparison.Ordinal) + 1);
    }

    [Fact]
    public void Packages_are_deterministic_build_train_reload_and_export_a_fresh_project_and_a_spec_error_fails_its_build_at_the_yaml_line()
    {
        string root = RepositoryRoot();
        string log = Path.GetTempFileName();
        try
        {
            // Output to a file, not a pipe: build servers the script starts outlive it and would hold a pipe open.
            var start = new ProcessStartInfo("bash", ["-c", $"scripts/consumer-test.sh > '{log}' 2>&1"]) { WorkingDirectory = root };
            foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
                start.Environment.Remove(key); // dotnet test's own MSBuild settings must not leak into the script's builds
            using Process script = Process.Start(start)!;
            bool exited = script.WaitForExit(Limit);
            if (!exited)
                script.Kill(entireProcessTree: true);
            string text = File.ReadAllText(log);
            output.WriteLine(text);

            Assert.True(exited, $"scripts/consumer-test.sh ran past {Limit}");
            Assert.Equal(0, script.ExitCode);
            Assert.Matches(new Regex(@"\d+ files in 5 packages identical"), text);
            Assert.Matches(new Regex(@"loaded 8; classes background,a,b; predictions equal True, loss fell True"), text);
            Assert.Matches(new Regex(@"onnx tiny-seg\.onnx: max \|ONNX Runtime - NetSpec\| \S+, bound \S+, within True"), text);
            var (line, column) = Position(File.ReadAllLines(Path.Combine(root, "tests/consumer/broken/tiny-seg.netspec.yaml")), "conv2dd");
            Assert.Contains($"/consumer/specs/tiny-seg.netspec.yaml({line},{column}): error NS0003: Unknown op 'conv2dd'", text);
            Assert.Matches(new Regex(@"consumer test passed \(\d+ s\)"), text);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
