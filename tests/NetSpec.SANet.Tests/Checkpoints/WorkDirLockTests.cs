using System.Diagnostics;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>
/// Two train runs into one work dir: the second stops at once (exit 2, one line naming the folder and the first run's
/// pid) and writes nothing; once the first is killed, its lock (left on disk) blocks nobody (samples/SANet/Checkpoints/WorkDirLock.cs).
/// </summary>
public class WorkDirLockTests
{
    private static string[] Train(string spec, string workDir, params string[] extra) =>
        ["train", "--spec", spec, "--work-dir", workDir, "--batch", "1", "--crop", "32", "--device", "cpu", "--val-every", "1000000", .. extra];

    [Fact]
    public void ASecondRunIntoTheSameWorkDirStopsAndAKilledRunsLockBlocksNobody()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        string work = dir["work"];
        using Process first = StartChild(Train(spec, work, "--iters", "1000000"));
        try
        {
            WaitForHolder(work, first);

            foreach (string[] extra in new[] { ["--iters", "2"], ["--iters", "2", "--force"], new[] { "--iters", "1000000", "--resume" } })
            {
                var (code, output, error) = CliRunner.Run(Train(spec, work, extra));
                Assert.True(code == 2, $"exit {code}: {error}{output}");
                Assert.Equal($"error: --work-dir {work}: another train run (pid {first.Id}) is writing there; wait for it to end, or choose another --work-dir", error.Trim());
                Assert.DoesNotContain("iter ", output);
            }

            // the first run writes on meanwhile (that nothing else is written is the hostile-input row "work-locked")
            Assert.Equal($"{first.Id}\n", File.ReadAllText(Path.Combine(work, WorkDirLock.HolderName)));
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            first.WaitForExit();
        }

        Assert.True(File.Exists(Path.Combine(work, WorkDirLock.LockName))); // left by the killed run
        var again = CliRunner.Run(Train(spec, work, "--iters", "2", "--force"));
        Assert.True(again.Code == 0, again.Error);
        Assert.False(File.Exists(Path.Combine(work, WorkDirLock.HolderName))); // a clean end removes the pid
    }

    /// <summary>The sample's CLI with the test networks, in a child process that runs until killed.</summary>
    private static Process StartChild(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NetSpec.SANet.Tests.dll"));
        start.ArgumentList.Add("sanet");
        foreach (string a in args)
            start.ArgumentList.Add(a);
        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits (at most a minute) until the child has written its pid beside the lock, i.e. holds the lock.</summary>
    private static void WaitForHolder(string work, Process child)
    {
        string holder = Path.Combine(work, WorkDirLock.HolderName);
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(holder) && File.ReadAllText(holder) == $"{child.Id}\n"))
        {
            Assert.False(child.HasExited, $"the first run ended (exit {(child.HasExited ? child.ExitCode : 0)}) before taking the lock");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the first run did not take the lock within a minute");
            Thread.Sleep(50);
        }
    }
}
