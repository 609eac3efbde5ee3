using NetSpec.Runtime.Distributed;

namespace NetSpec.Runtime.Tests.Distributed;

/// <summary>
/// Tests: ranks as threads of one process. Each collective is a meeting: every rank posts its values, waits at a
/// barrier, sums all posts in rank order (the same order, so the same bits, on every rank), and waits again before the
/// posts are reused. A started all-reduce runs at its Wait (ranks wait in the same order, so they still meet).
/// <see cref="Abort"/> breaks every meeting: the other ranks' collectives throw instead of waiting.
/// </summary>
public sealed class ThreadCommunicator : ICommunicator
{
    private readonly Group group;

    private ThreadCommunicator(Group group, int rank)
    {
        this.group = group;
        Rank = rank;
    }

    public int Rank { get; }

    public int Size => group.Size;

    /// <summary>One communicator per rank, all of one group.</summary>
    public static ThreadCommunicator[] Create(int size)
    {
        var group = new Group(size);
        return Enumerable.Range(0, size).Select(r => new ThreadCommunicator(group, r)).ToArray();
    }

    /// <summary>Runs <paramref name="body"/>(rank) on one thread per rank; rethrows the first failure after all have ended.</summary>
    public static T[] Run<T>(int size, Func<ThreadCommunicator, T> body)
    {
        ThreadCommunicator[] ranks = Create(size);
        var results = new T[size];
        var failures = new Exception?[size];
        Thread[] threads = ranks.Select(c => new Thread(() =>
        {
            try
            {
                results[c.Rank] = body(c);
            }
            catch (Exception e)
            {
                failures[c.Rank] = e;
                c.group.Break(); // never leave the others waiting for this rank
            }
        }, 16 << 20)).ToArray();
        foreach (Thread t in threads)
            t.Start();
        foreach (Thread t in threads)
            t.Join();
        if (failures.FirstOrDefault(f => f is not null and not CommunicatorAbortedException) is { } first)
            throw new AggregateException($"rank {Array.IndexOf(failures, first)} failed", first);
        if (failures.FirstOrDefault(f => f is not null) is { } aborted)
            throw aborted;
        return results;
    }

    public void AllReduceSum(Span<float> values)
    {
        object[] posts = group.Post(Rank, values.ToArray());
        try
        {
            values.Clear();
            foreach (object post in posts)
            {
                float[] p = (float[])post;
                if (p.Length != values.Length)
                    throw new InvalidOperationException($"all-reduce of {values.Length} floats met one of {p.Length}");
                for (int i = 0; i < p.Length; i++)
                    values[i] += p[i];
            }
        }
        finally
        {
            group.Release();
        }
    }

    public void AllReduceSum(Span<double> values)
    {
        object[] posts = group.Post(Rank, values.ToArray());
        try
        {
            values.Clear();
            foreach (object post in posts)
            {
                double[] p = (double[])post;
                if (p.Length != values.Length)
                    throw new InvalidOperationException($"all-reduce of {values.Length} doubles met one of {p.Length}");
                for (int i = 0; i < p.Length; i++)
                    values[i] += p[i];
            }
        }
        finally
        {
            group.Release();
        }
    }

    public IPendingReduce StartAllReduceSum(Memory<float> values) => new Pending(this, values);

    public void Broadcast(Span<byte> bytes, int root)
    {
        object[] posts = group.Post(Rank, bytes.ToArray());
        try
        {
            byte[] sent = (byte[])posts[root];
            if (sent.Length != bytes.Length)
                throw new InvalidOperationException($"broadcast of {sent.Length} bytes into {bytes.Length}");
            sent.CopyTo(bytes);
        }
        finally
        {
            group.Release();
        }
    }

    public void Barrier()
    {
        group.Post(Rank, Array.Empty<byte>());
        group.Release();
    }

    /// <summary>Breaks every rank's meetings and throws here (a test's ranks are threads: no process to end).</summary>
    public void Abort(int exitCode)
    {
        group.Break();
        throw new CommunicatorAbortedException($"rank {Rank} aborted the run (exit code {exitCode})");
    }

    public void Dispose() { }

    private sealed class Pending(ThreadCommunicator owner, Memory<float> values) : IPendingReduce
    {
        private bool done;

        public void Wait()
        {
            if (done)
                return;
            owner.AllReduceSum(values.Span);
            done = true;
        }
    }

    private sealed class Group(int size)
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
        private readonly Barrier barrier = new(size);
        private readonly CancellationTokenSource broken = new();
        private readonly object[] posts = new object[size];
        private readonly long[] meetings = new long[size];
        private readonly string[] lastCaller = new string[size];

        public int Size { get; } = size;

        /// <summary>Posts this rank's values and returns every rank's once all have posted; call <see cref="Release"/> after reading.</summary>
        public object[] Post(int rank, object post)
        {
            posts[rank] = post;
            meetings[rank]++;
            lastCaller[rank] = Environment.StackTrace;
            Wait();
            return posts;
        }

        /// <summary>Returns once every rank has read the posts (so that none is overwritten while read).</summary>
        public void Release() => Wait();

        // on a timeout: how far each rank got and where it last met the others (a rank stuck outside any collective, or in another one)
        private string Whereabouts() => string.Join("\n", Enumerable.Range(0, Size).Select(r => $"rank {r}: {meetings[r]} collectives, the last from {lastCaller[r]}"));

        public void Break() => broken.Cancel();

        private void Wait()
        {
            try
            {
                if (!barrier.SignalAndWait(Patience, broken.Token))
                    throw new CommunicatorAbortedException($"a collective waited {Patience.TotalSeconds:F0} s for the other ranks\n{Whereabouts()}");
            }
            catch (OperationCanceledException)
            {
                throw new CommunicatorAbortedException("another rank aborted the run");
            }
        }
    }
}

/// <summary>A thread communicator's collective ended because a rank aborted (or the others never came).</summary>
public sealed class CommunicatorAbortedException(string message) : Exception(message);
