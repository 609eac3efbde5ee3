using System.Reflection;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// What a run of several ranks does when one fails. A rank that fails (an exception reaches <see cref="Run"/>, or
/// an unhandled exception on any thread once <see cref="Communicators.FromEnvironment"/> made an MPI communicator)
/// writes one line to standard error, <c>netspec: rank R of N failed: Type: message (aborting all ranks)</c>, and
/// calls MPI_Abort: mpirun then ends every rank, and every rank exits non-zero in bounded time (seconds), never
/// blocked in a collective that the failed rank will not join. A rank killed by a signal is seen by mpirun, which
/// ends the others the same way. A one-process run keeps .NET's behaviour (the exception propagates).
/// </summary>
public static class FailurePolicy
{
    private static int unhandledHooked;

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
}
