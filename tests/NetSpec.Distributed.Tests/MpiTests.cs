using System.Diagnostics;

namespace NetSpec.Distributed.Tests;

/// <summary>
/// Starts <see cref="Probe"/> as 2 ranks under Open MPI's <c>mpirun</c> (scripts/test.sh installs openmpi-bin when it
/// is missing) and checks the collectives and the failure policy: every way a rank can fail ends the whole run
/// with a non-zero status in bounded time.
/// </summary>
public sealed class MpiTests
{
    /// <summary>The bound every failure case must end within (each took 1–2 s on the 2-core test machine).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Collectives_sum_broadcast_and_synchronise_two_ranks()
    {
        MpiRun run = MpiRun.Start("collectives");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok rank 0 of 2: MPI rank 0 of 2 (Open MPI", run.Output);
        Assert.Contains("ok rank 1 of 2: MPI rank 1 of 2 (Open MPI", run.Output);
    }

    [Fact]
    public void One_rank_under_mpirun_is_the_single_process_without_mpi()
    {
        MpiRun run = MpiRun.Start("start", ranks: 1);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ok rank 0 of 1: NetSpec.Runtime.Distributed.SingleProcess", run.Output);
    }

    [Fact]
    public void A_rank_that_throws_aborts_every_rank_with_one_clear_line()
    {
        MpiRun run = MpiRun.Start("throw");
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.True(run.Elapsed < Bound, run.ToString());
        Assert.Contains("netspec: rank 1 of 2 failed: InvalidOperationException: probe failure on purpose (aborting all ranks)", run.Output);
        Assert.DoesNotContain("ok rank", run.Output);
    }

    [Fact]
    public void An_unhandled_exception_on_another_thread_aborts_every_rank()
    {
        MpiRun run = MpiRun.Start("unhandled");
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.True(run.Elapsed < Bound, run.ToString());
        Assert.Contains("netspec: rank 1 of 2 failed: InvalidOperationException: probe failure on a background thread (aborting all ranks)", run.Output);
    }

    [Fact]
    public void A_rank_killed_by_a_signal_ends_the_other()
    {
        MpiRun run = MpiRun.Start("kill");
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.True(run.Elapsed < Bound, run.ToString());
        Assert.Contains("exited on signal 9", run.Output);
        Assert.DoesNotContain("ok rank", run.Output);
    }

    [Fact]
    public void Missing_libmpi_under_mpirun_is_a_clear_error()
    {
        MpiRun run = MpiRun.Start("start", "-x", "NETSPEC_MPI_LIBRARY=/nonexistent/libmpi.so.40");
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.True(run.Elapsed < Bound, run.ToString());
        Assert.Contains("netspec: this process was started by mpirun as one of 2 ranks, but MPI is not usable here: " +
            "cannot load Open MPI's /nonexistent/libmpi.so.40 (from NETSPEC_MPI_LIBRARY): /nonexistent/libmpi.so.40: cannot open shared object file", run.Output);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", run.Output);
    }
}

/// <summary>One <c>mpirun -np 2 (or N) … dotnet NetSpec.Distributed.Tests.dll probe &lt;case&gt;</c>; killed (and failed) after a minute.</summary>
internal sealed record MpiRun(int ExitCode, string Output, TimeSpan Elapsed, string Command)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public static MpiRun Start(string probeCase, params string[] mpirunOptions) => Start(probeCase, 2, mpirunOptions);

    public static MpiRun Start(string probeCase, int ranks, params string[] mpirunOptions)
    {
        string mpirun = FindMpirun() ?? throw new InvalidOperationException(
            "mpirun not found on PATH: install Open MPI (apt-get install openmpi-bin libopenmpi-dev); scripts/test.sh does this when it is missing");
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var info = new ProcessStartInfo(mpirun)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // --oversubscribe: 2 ranks on a machine that may have 1 core; btl self,vader: shared memory only (no network
        // probing in a container); --bind-to none: the ranks and the test runner share the cores
        foreach (string arg in (string[])["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe", "--bind-to", "none", "--mca", "btl", "self,vader", .. mpirunOptions,
                     dotnet, typeof(Probe).Assembly.Location, "probe", probeCase])
            info.ArgumentList.Add(arg);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        info.Environment["TERM"] = "dumb";
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("OMPI_COMM_WORLD", StringComparison.Ordinal) || k.StartsWith("PMIX_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);

        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(info)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string command = $"{mpirun} {string.Join(' ', info.ArgumentList)}";
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{command} still ran after {Limit.TotalSeconds} s (a hang):\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit();
        return new MpiRun(process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed, command);
    }

    private static string? FindMpirun() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "mpirun"))
            .FirstOrDefault(File.Exists);

    public override string ToString() => $"{Command}\nexit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n{Output}";
}
