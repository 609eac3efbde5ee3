namespace NetSpec.Runtime.Distributed;

/// <summary>
/// The processes (ranks) that train one model together. Every collective is called by every rank in the same
/// order with the same lengths; a rank that fails calls <see cref="Abort"/> so that no other rank waits forever.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 ≤ Rank &lt; Size. Rank 0 validates, logs and writes checkpoints.</summary>
    int Rank { get; }

    /// <summary>How many processes train together; 1 for a one-process run.</summary>
    int Size { get; }

    /// <summary>Sums <paramref name="values"/> element-wise over all ranks, in place: every rank ends with the sum.</summary>
    void AllReduceSum(Span<float> values);

    /// <inheritdoc cref="AllReduceSum(Span{float})"/>
    void AllReduceSum(Span<double> values);

    /// <summary>
    /// Starts summing <paramref name="values"/> over all ranks and returns at once (a gradient bucket whose
    /// backward is finished, while backward goes on). The memory must stay untouched until Wait returns.
    /// </summary>
    IPendingReduce StartAllReduceSum(Memory<float> values);

    /// <summary>Copies <paramref name="bytes"/> from rank <paramref name="root"/> to every other rank.</summary>
    void Broadcast(Span<byte> bytes, int root);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();

    /// <summary>Ends every rank's process with <paramref name="exitCode"/>; does not return.</summary>
    void Abort(int exitCode);
}

/// <summary>An all-reduce in flight; <see cref="Wait"/> returns when its sum is in place.</summary>
public interface IPendingReduce
{
    void Wait();

    /// <summary>
    /// Whether the sum is in place, without blocking (then the memory is free again, as after Wait). Also lets the
    /// reduction move on: Open MPI progresses a non-blocking collective only inside MPI calls, so a caller that
    /// overlaps it with computation should call Test now and then. The default waits (for communicators whose
    /// reductions are done when started).
    /// </summary>
    bool Test()
    {
        Wait();
        return true;
    }
}
