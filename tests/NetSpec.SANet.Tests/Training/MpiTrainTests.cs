using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NetSpec.SANet.Tests.Cli;

namespace NetSpec.SANet.Tests.Training;

/// <summary>
/// The sample under Open MPI's <c>mpirun -np 2</c> (scripts/test.sh installs Open MPI when mpirun is missing): sanet-tiny
/// trains a few iterations on the built-in data as 2 processes, rank 0 alone logs and writes the work dir, and the
/// checkpoint it wrote evaluates in one process to the mIoU the run logged. Bad input: one error, every rank exits.
/// </summary>
public sealed class MpiTrainTests
{
    [Fact]
    public void TwoProcessesTrainAndTheirCheckpointEvaluatesInOneToTheLoggedMiou()
    {
        using var dir = new TempDir();
        (int code, string output, string command) = MpiRun(2, "train", "--iters", "3", "--batch", "4", "--device", "cpu",
            "--work-dir", dir["work"], "--val-every", "3", "--log-every", "1");
        Assert.True(code == 0, $"{command}\n{output}");
        Assert.Single(Regex.Matches(output, "sanet-tiny on cpu")); // rank 0 alone reports
        Assert.Contains("batch 4 (2 ranks × 2;", output);
        Assert.Equal(3, Regex.Matches(output, @"iter \d/3 ").Count);
        string logged = Regex.Match(output, @"val @ 3: (pixAcc [\d.]+  mIoU [\d.]+)").Groups[1].Value;
        Assert.NotEmpty(logged);

        var eval = CliRunner.RunProcess("eval", "--checkpoint", dir["work/best.safetensors"], "--device", "cpu");
        Assert.True(eval.Code == 0, eval.Error);
        Assert.Contains(logged, eval.Out);
    }

    [Fact]
    public void AGlobalBatchThatDoesNotDivideIsOneErrorAndEveryRankExits()
    {
        using var dir = new TempDir();
        (int code, string output, string command) = MpiRun(2, "train", "--iters", "2", "--batch", "3", "--device", "cpu", "--work-dir", dir["work"]);
        Assert.True(code != 0, $"{command}\n{output}");
        Assert.Single(Regex.Matches(output, "error: "));
        Assert.Contains("error: --batch 3: the global batch must divide evenly over the 2 ranks", output);
        Assert.False(Directory.Exists(dir["work"]));
    }

    /// <summary><c>mpirun -np N dotnet SANet.dll …</c>: exit code, stdout + stderr, the command; killed (and failed) after 5 minutes.</summary>
    private static (int Code, string Output, string Command) MpiRun(int ranks, params string[] args)
    {
        string mpirun = new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
            "mpirun not found: install Open MPI (apt-get install openmpi-bin libopenmpi-dev); scripts/test.sh does this when it is missing");
        var info = new ProcessStartInfo(mpirun) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = AppContext.BaseDirectory };
        // as the runtime's MPI tests: oversubscribe the 2 cores, shared memory only, no binding (the test runner shares the cores)
        foreach (string a in (string[])["-np", ranks.ToString(CultureInfo.InvariantCulture), "--oversubscribe", "--bind-to", "none", "--mca", "btl", "self,vader",
                     "dotnet", Path.Combine(AppContext.BaseDirectory, "SANet.dll"), .. args])
            info.ArgumentList.Add(a);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        info.Environment["DOTNET_PROCESSOR_COUNT"] = "1"; // one core a rank
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("OMPI_COMM_WORLD", StringComparison.Ordinal) || k.StartsWith("PMIX_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        string command = $"{mpirun} {string.Join(' ', info.ArgumentList)}";
        using Process process = Process.Start(info)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} still ran after 5 minutes (a hang)");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result, command);
    }
}
