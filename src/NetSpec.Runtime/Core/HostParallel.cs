using System.Runtime.ExceptionServices;

namespace NetSpec.Runtime;

/// <summary>
/// A parallel for-loop for the host ops: the calling thread and one long-lived worker per other core take
/// indices from a shared counter. A training step makes about a thousand such calls, most of them tens of
/// microseconds long; <see cref="Parallel.For(int, int, Action{int})"/> costs about a kilobyte of garbage
/// and a thread-pool hand-off each, which showed in both the step time and the process's peak memory.
/// A call made while a loop is running (from a body, or from another thread) runs serially on its caller.
/// Workers poll for the next loop for <see cref="SpinMicroseconds"/> after finishing one before they sleep:
/// a step makes hundreds of calls a few microseconds apart (sanet-r50's forward about 500), and a sleeping
/// worker joins late (the measurement: docs/benchmarks.md, "Runtime constants and their measurements").
/// </summary>
internal static class HostParallel
{
    private static readonly int Cores = Math.Max(1, Environment.ProcessorCount);
    private static readonly object Gate = new();
    private const int SpinMicroseconds = 100;
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
    private static readonly object Sleep = new();
    private static long generation; // loops started so far
    private static int sleepers;
    private static Job? current;
    private static bool started;

    [ThreadStatic]
    private static bool inLoop;

    /// <summary>
    /// Runs job.Run(i) for every i in [0, count): through <see cref="For(int, Action{int})"/> when
    /// <paramref name="parallel"/>, else in order on the caller as plain struct calls (no delegate, no garbage: for
    /// loops made once per image of a batch, whose callers already run on all cores).
    /// </summary>
    public static void For<TJob>(int count, bool parallel, TJob job)
        where TJob : struct, IIndexedJob
    {
        if (parallel)
        {
            For(count, job.Run);
            return;
        }

        for (int i = 0; i < count; i++)
            job.Run(i);
    }

    /// <summary>Runs body(i) for every i in [0, count) and returns when all have finished; rethrows the first exception.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0)
            return;
        if (count == 1)
        {
            body(0); // nothing to share out here: loops inside the body may still use the cores
            return;
        }

        if (Cores == 1 || inLoop || !Monitor.TryEnter(Gate))
        {
            Serial(count, body);
            return;
        }

        try
        {
            StartWorkers();
            var job = new Job(body, count);
            Volatile.Write(ref current, job);
            Interlocked.Increment(ref generation);
            if (Volatile.Read(ref sleepers) > 0)
            {
                lock (Sleep)
                    Monitor.PulseAll(Sleep);
            }

            inLoop = true;
            try
            {
                job.Work();
            }
            finally
            {
                inLoop = false;
            }

            var spin = new SpinWait();
            while (Volatile.Read(ref job.Pending) > 0)
                spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref current, null);
            job.Error?.Throw();
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    private static void Serial(int count, Action<int> body)
    {
        bool outer = !inLoop;
        inLoop = true;
        try
        {
            for (int i = 0; i < count; i++)
                body(i);
        }
        finally
        {
            if (outer)
                inLoop = false;
        }
    }

    private static void StartWorkers()
    {
        if (started)
            return;
        started = true;
        for (int w = 1; w < Cores; w++)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"NetSpec host worker {w}" };
            thread.Start();
        }
    }

    // run each new loop: poll the generation for SpinTicks, then sleep until it changes. The increments of
    // generation (For) and sleepers (here) are both full fences before the other is read, so either For
    // sees the sleeper and pulses, or the sleeper sees the new generation and does not wait.
    private static void WorkerLoop()
    {
        inLoop = true;
        long seen = 0;
        while (true)
        {
            long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref generation) == seen)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(8);
                    continue;
                }

                lock (Sleep)
                {
                    Interlocked.Increment(ref sleepers);
                    while (Volatile.Read(ref generation) == seen)
                        Monitor.Wait(Sleep);
                    Interlocked.Decrement(ref sleepers);
                }
            }

            seen = Volatile.Read(ref generation);
            Volatile.Read(ref current)?.Work();
        }
    }

    private sealed class Job(Action<int> body, int count)
    {
        private readonly int count = count;
        private int next = -1;
        public int Pending = count;
        public ExceptionDispatchInfo? Error;

        // take indices until none are left; the last one to finish brings Pending to 0
        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    if (Error is null)
                        body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Error, ExceptionDispatchInfo.Capture(e), null);
                }
                finally
                {
                    Interlocked.Decrement(ref Pending);
                }
            }
        }
    }
}

/// <summary>One loop's work, index by index, as a struct (see <see cref="HostParallel.For{TJob}"/>).</summary>
internal interface IIndexedJob
{
    void Run(int index);
}
