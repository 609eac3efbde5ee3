using System.Diagnostics;
using System.Globalization;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// Named instants of a run (each iteration's start, each step of an atomic save) where a test can kill the
/// process: <c>SANET_KILL_AT=N</c> sends SIGKILL to this process at the N-th point, as a crash or <c>kill -9</c>
/// would, after naming it on stderr; <c>SANET_TRACE_POINTS=1</c> names every point on stderr. Unset, a point
/// costs a counter increment.
/// </summary>
public static class FaultPoints
{
    private static readonly long KillAt = ParseKillAt(Environment.GetEnvironmentVariable("SANET_KILL_AT"));
    private static readonly bool Trace = Environment.GetEnvironmentVariable("SANET_TRACE_POINTS") == "1";
    private static long count;

    public static void Reached(string what)
    {
        long n = Interlocked.Increment(ref count);
        if (Trace || n == KillAt)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"point {n}: {what}"));
        if (n != KillAt)
            return;
        Console.Error.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite); // SIGKILL is delivered asynchronously; run nothing more meanwhile
    }

    private static long ParseKillAt(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0 ? n : 0;
}
