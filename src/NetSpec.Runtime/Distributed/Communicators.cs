using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// Picks the communicator of this process and applies the failure policy of a run of several ranks.
/// <para>
/// <b>Failure policy.</b> A rank that fails (an exception reaches <see cref="Run"/>, or an unhandled exception on any
/// thread once <see cref="FromEnvironment"/> made an MPI communicator) writes one line to standard error,
/// <c>netspec: rank R of N failed: Type: message (aborting all ranks)</c>, and calls MPI_Abort: mpirun then ends
/// every rank, and every rank exits non-zero in bounded time (seconds), never blocked in a collective that the
/// failed rank will not join. A rank killed by a signal is seen by mpirun, which ends the others the same way.
/// A one-process run keeps .NET's behaviour (the exception propagates).
/// </para>
/// </summary>
public static class Communicators
{
    /// <summary>Set by Open MPI's mpirun (and prterun) in every rank: the number of ranks.</summary>
    public const string OpenMpiSizeVariable = "OMPI_COMM_WORLD_SIZE";

    private static int unhandledHooked;

    /// <summary>
    /// <see cref="MpiCommunicator"/> when this process was started by Open MPI's <c>mpirun -np N</c> with N &gt; 1
    /// (<c>OMPI_COMM_WORLD_SIZE</c>), or by a PMIx launcher such as <c>srun --mpi=pmix</c> (<c>PMIX_RANK</c>);
    /// <see cref="SingleProcess"/> otherwise (plain <c>dotnet …</c>, or <c>mpirun -np 1</c>: no MPI is loaded).
    /// Throws <see cref="DistributedLibraryException"/> when launched by mpirun but libmpi.so.40 is missing, and
    /// NotSupportedException when launched by another MPI's launcher (MPICH, Intel MPI: <c>PMI_SIZE</c>), whose
    /// ABI this binding does not speak. An MPI communicator also gets the unhandled-exception hook of the failure
    /// policy (<see cref="AbortOnUnhandledExceptions"/>).
    /// </summary>
    public static ICommunicator FromEnvironment()
    {
        int? launched = LaunchedSize(Environment.GetEnvironmentVariable);
        if (launched is null or 1)
            return SingleProcess.Instance;
        MpiCommunicator mpi;
        try
        {
            mpi = MpiCommunicator.Initialize();
        }
        catch (DistributedLibraryException e)
        {
            throw new DistributedLibraryException(
                $"this process was started by mpirun as one of {(launched > 0 ? launched.ToString() : "several")} ranks, but MPI is not usable here: {e.Message}", e);
        }

        AbortOnUnhandledExceptions(mpi);
        return mpi;
    }

    /// <summary>
    /// The number of ranks the launcher says this process belongs to: null when no MPI launcher started it, 0 when
    /// one did but the size is known only after MPI_Init (PMIx without Open MPI's variables).
    /// </summary>
    internal static int? LaunchedSize(Func<string, string?> variable)
    {
        if (variable(OpenMpiSizeVariable) is { } ompi)
        {
            return int.TryParse(ompi, out int size) && size >= 1
                ? size
                : throw new InvalidOperationException($"{OpenMpiSizeVariable}={ompi} is not a rank count");
        }

        if (variable("PMIX_RANK") is not null)
            return 0;
        if (variable("PMI_SIZE") is { } pmi && int.TryParse(pmi, out int other) && other > 1)
        {
            throw new NotSupportedException(
                $"this process was started by an MPI launcher other than Open MPI's (PMI_SIZE={pmi}, MPICH or Intel MPI): " +
                "NetSpec's MPI binding is for Open MPI (libmpi.so.40); start the run with Open MPI's mpirun");
        }

        return null;
    }

    /// <summary>
    /// Runs <paramref name="body"/> under the failure policy: on a run of several ranks an exception is reported in
    /// one line and the run is aborted (<see cref="Fail"/>); on one process it propagates. Returns body's exit code.
    /// </summary>
    public static int Run(ICommunicator communicator, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (communicator.Size > 1)
        {
            Fail(communicator, e);
            return 1;
        }
    }

    /// <summary>Writes the one line of the failure policy to standard error and aborts every rank. Does not return.</summary>
    public static void Fail(ICommunicator communicator, Exception error, int exitCode = 1)
    {
        Console.Error.WriteLine(FailureLine(communicator.Rank, communicator.Size, error));
        Console.Error.Flush();
        communicator.Abort(exitCode);
    }

    /// <summary>The failure line: <c>netspec: rank R of N failed: Type: message (aborting all ranks)</c>, on one line.</summary>
    public static string FailureLine(int rank, int size, Exception error)
    {
        while (error is TargetInvocationException { InnerException: { } inner } || error is AggregateException { InnerExceptions.Count: 1 })
            error = error is AggregateException aggregate ? aggregate.InnerExceptions[0] : error.InnerException!;
        string message = string.Join(' ', error.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"netspec: rank {rank} of {size} failed: {error.GetType().Name}: {message} (aborting all ranks)";
    }

    /// <summary>
    /// An exception that no code catches, on any thread, ends the run by <see cref="Fail"/> (instead of .NET's crash
    /// dump and SIGABRT, which mpirun would also notice, but with a stack trace per rank instead of one line).
    /// Once per process.
    /// </summary>
    public static void AbortOnUnhandledExceptions(ICommunicator communicator)
    {
        if (communicator.Size <= 1 || Interlocked.Exchange(ref unhandledHooked, 1) == 1)
            return;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            Fail(communicator, e.ExceptionObject as Exception ?? new Exception(e.ExceptionObject?.ToString() ?? "unknown error"));
    }

    /// <summary>
    /// Checks that every rank has the same <paramref name="value"/> (a spec's text, a batch size, a data
    /// directory's listing): rank 0's SHA-256 is broadcast and every rank learns how many ranks differ. When any
    /// does, every rank throws the same <see cref="InvalidOperationException"/>, naming <paramref name="what"/> and
    /// rank 0's value, so that rank 0 can report it once and all ranks exit cleanly. A collective: every rank calls it.
    /// </summary>
    public static void RequireSame(ICommunicator communicator, string what, string value)
    {
        if (communicator.Size == 1)
            return;
        byte[] mine = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        byte[] root = (byte[])mine.Clone();
        communicator.Broadcast(root, 0);
        Span<double> differing = [mine.AsSpan().SequenceEqual(root) ? 0 : 1];
        communicator.AllReduceSum(differing);
        if (differing[0] == 0)
            return;
        string shown = communicator.Rank == 0 ? $" (rank 0 has {Shorten(value)})"
            : !mine.AsSpan().SequenceEqual(root) ? $" (rank {communicator.Rank} has {Shorten(value)})" : "";
        throw new InvalidOperationException(
            $"the ranks disagree on {what}: {differing[0]:0} of {communicator.Size} rank(s) differ from rank 0{shown}; every rank must run with the same {what}");
    }

    private static string Shorten(string value) => value.Length <= 80 ? $"'{value}'" : $"'{value[..77]}…' ({value.Length} characters)";
}
