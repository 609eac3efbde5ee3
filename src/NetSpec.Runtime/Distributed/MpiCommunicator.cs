using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// The ranks of an <c>mpirun</c> launch (MPI_COMM_WORLD) through Open MPI's libmpi.so.40: one per process,
/// made by <see cref="Initialize"/> (or <see cref="Communicators.FromEnvironment"/>), finalized by Dispose.
/// MPI is initialised at MPI_THREAD_SERIALIZED and every call here holds one lock, so any thread may call, one at
/// a time. Errors come back as <see cref="MpiException"/> (MPI_ERRORS_RETURN on the world communicator), not as
/// Open MPI's default abort. A buffer longer than <see cref="MaxChunkElements"/> goes as several MPI calls
/// (MPI counts are ints).
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private static int state; // 0: no communicator yet, 1: one is live, 2: MPI finalized (it cannot start again)

    private readonly object gate = new();
    private readonly MpiHandles handles;
    private readonly bool ownsInit;
    private int maxChunkElements = int.MaxValue;
    private bool disposed;

    private MpiCommunicator(MpiHandles handles, bool ownsInit, int rank, int size, int threadLevel, string libraryVersion)
    {
        this.handles = handles;
        this.ownsInit = ownsInit;
        Rank = rank;
        Size = size;
        ThreadLevel = threadLevel;
        LibraryVersion = libraryVersion;
    }

    public int Rank { get; }

    public int Size { get; }

    /// <summary>The thread level MPI provides (MPI_THREAD_SERIALIZED = 2 or MPI_THREAD_MULTIPLE = 3).</summary>
    public int ThreadLevel { get; }

    /// <summary>MPI_Get_library_version's first line, e.g. "Open MPI v4.1.4, package: Debian OpenMPI, …".</summary>
    public string LibraryVersion { get; }

    /// <summary>
    /// The most elements one MPI call carries (default and maximum int.MaxValue, MPI's count type). Smaller values
    /// exist for tests: they make a small buffer go in several chunks. Every rank must use the same value.
    /// </summary>
    public int MaxChunkElements
    {
        get => maxChunkElements;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            maxChunkElements = value;
        }
    }

    /// <summary>
    /// Initialises MPI (unless the application already did: then it is used as it is and not finalized here) and
    /// returns the world communicator. Throws <see cref="DistributedLibraryException"/> when libmpi.so.40 cannot be
    /// loaded, <see cref="MpiException"/> when MPI fails, and InvalidOperationException on a second call.
    /// </summary>
    public static MpiCommunicator Initialize()
    {
        switch (Interlocked.CompareExchange(ref state, 1, 0))
        {
            case 1:
                throw new InvalidOperationException("MPI is already in use by another MpiCommunicator: a process has one (dispose it first)");
            case 2:
                throw new InvalidOperationException("MPI was finalized in this process and cannot be initialised again");
        }

        try
        {
            MpiHandles handles = MpiHandles.Load();
            int flag, provided;
            MpiException.Check(MpiNative.Initialized(&flag), "MPI_Initialized");
            bool ownsInit = flag == 0;
            if (ownsInit)
                MpiException.Check(MpiNative.InitThread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
            else
                MpiException.Check(MpiNative.QueryThread(&provided), "MPI_Query_thread");
            if (provided < MpiNative.ThreadSerialized)
            {
                throw new InvalidOperationException(
                    $"MPI provides thread level {provided}; NetSpec needs MPI_THREAD_SERIALIZED (2): use an Open MPI built with thread support (Debian's is)");
            }

            MpiException.Check(MpiNative.CommSetErrhandler(handles.CommWorld, handles.ErrorsReturn), "MPI_Comm_set_errhandler");
            int rank, size, length;
            MpiException.Check(MpiNative.CommRank(handles.CommWorld, &rank), "MPI_Comm_rank");
            MpiException.Check(MpiNative.CommSize(handles.CommWorld, &size), "MPI_Comm_size");
            byte* version = stackalloc byte[MpiNative.MaxLibraryVersionString + 1];
            string libraryVersion = MpiNative.GetLibraryVersion(version, &length) == MpiNative.Success
                ? System.Text.Encoding.UTF8.GetString(version, Math.Clamp(length, 0, MpiNative.MaxLibraryVersionString)).Split('\n')[0].Trim(' ', '\0', '\t', '\r')
                : "unknown";
            return new MpiCommunicator(handles, ownsInit, rank, size, provided, libraryVersion);
        }
        catch
        {
            Volatile.Write(ref state, 0);
            throw;
        }
    }

    public void AllReduceSum(Span<float> values)
    {
        fixed (float* p = values)
            AllReduce(p, values.Length, sizeof(float), handles.Float);
    }

    public void AllReduceSum(Span<double> values)
    {
        fixed (double* p = values)
            AllReduce(p, values.Length, sizeof(double), handles.Double);
    }

    /// <summary>
    /// MPI_Iallreduce over the pinned <paramref name="values"/> (one request per chunk); the memory stays pinned
    /// until <see cref="IPendingReduce.Wait"/>. Open MPI moves a non-blocking collective on only inside MPI calls:
    /// call <see cref="IPendingReduce.Test"/> now and then while computing, or most of the work happens in Wait.
    /// </summary>
    public IPendingReduce StartAllReduceSum(Memory<float> values)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            int chunks = ChunkCount(values.Length);
            MemoryHandle pin = values.Pin();
            var requests = new IntPtr[chunks];
            // a failure part-way leaves the started chunks running (collectives cannot be cancelled) and the memory
            // pinned: the caller's failure policy aborts the run
            float* p = (float*)pin.Pointer;
            fixed (IntPtr* r = requests)
            {
                for (int c = 0; c < chunks; c++)
                {
                    (long offset, int count) = Chunk(values.Length, c);
                    MpiException.Check(
                        MpiNative.Iallreduce(MpiNative.InPlace, p + offset, count, handles.Float, handles.Sum, handles.CommWorld, r + c),
                        "MPI_Iallreduce");
                }
            }

            return new MpiPendingReduce(gate, pin, requests);
        }
    }

    public void Broadcast(Span<byte> bytes, int root)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        lock (gate)
        {
            ThrowIfDisposed();
            fixed (byte* p = bytes)
            {
                for (int c = 0, chunks = ChunkCount(bytes.Length); c < chunks; c++)
                {
                    (long offset, int count) = Chunk(bytes.Length, c);
                    MpiException.Check(MpiNative.Bcast(p + offset, count, handles.Byte, root, handles.CommWorld), "MPI_Bcast");
                }
            }
        }
    }

    public void Barrier()
    {
        lock (gate)
        {
            ThrowIfDisposed();
            MpiException.Check(MpiNative.Barrier(handles.CommWorld), "MPI_Barrier");
        }
    }

    /// <summary>
    /// MPI_Abort on the world communicator: mpirun ends every rank (their exit status is non-zero). Takes no lock,
    /// so it works while another thread of this rank is blocked in a collective. Does not return.
    /// </summary>
    [DoesNotReturn]
    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        MpiNative.Abort(handles.CommWorld, exitCode);
        Environment.Exit(exitCode == 0 ? 1 : exitCode); // MPI_Abort returned (it should not)
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>MPI_Finalize (when this communicator initialised MPI). Every rank must get here.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
                return;
            disposed = true;
            Volatile.Write(ref state, 2);
            int finalized;
            if (ownsInit && MpiNative.Finalized(&finalized) == MpiNative.Success && finalized == 0)
                MpiException.Check(MpiNative.Finalize(), "MPI_Finalize");
        }
    }

    public override string ToString() => $"MPI rank {Rank} of {Size} ({LibraryVersion})";

    private void AllReduce(void* p, int length, int elementSize, IntPtr datatype)
    {
        lock (gate)
        {
            ThrowIfDisposed();
            for (int c = 0, chunks = ChunkCount(length); c < chunks; c++)
            {
                (long offset, int count) = Chunk(length, c);
                MpiException.Check(
                    MpiNative.Allreduce(MpiNative.InPlace, (byte*)p + offset * elementSize, count, datatype, handles.Sum, handles.CommWorld),
                    "MPI_Allreduce");
            }
        }
    }

    private int ChunkCount(long length) => (int)((length + maxChunkElements - 1) / maxChunkElements);

    private (long Offset, int Count) Chunk(long length, int chunk)
    {
        long offset = (long)chunk * maxChunkElements;
        return (offset, (int)Math.Min(maxChunkElements, length - offset));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);
}
