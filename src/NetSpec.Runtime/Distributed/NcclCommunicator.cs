using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// All-reduce of CUDA device memory between ranks through NCCL (<c>libnccl.so.2</c>), one rank per GPU, over NVLink,
/// PCIe or the network as NCCL finds them. Made from a host communicator (MPI, or <see cref="SingleProcess"/> for a
/// one-GPU communicator), which carries NCCL's unique id from rank 0 to the others; everything that is not device
/// memory (broadcast of checkpoints, barriers, abort, host all-reduce) goes to that host communicator, so this is a
/// drop-in <see cref="ICommunicator"/> with device all-reduce added. Reductions are enqueued on the device's default
/// stream, in order with its kernels; <see cref="Synchronize"/> waits for them and reports NCCL's asynchronous errors.
/// Compile-tested only: no machine this was written on has NCCL or two GPUs (docs/distributed.md, "NCCL").
/// </summary>
public sealed unsafe class NcclCommunicator : ICommunicator
{
    private readonly ICommunicator host;
    private readonly Device device;
    private IntPtr comm;

    private NcclCommunicator(ICommunicator host, Device device, IntPtr comm)
    {
        this.host = host;
        this.device = device;
        this.comm = comm;
    }

    public int Rank => host.Rank;

    public int Size => host.Size;

    /// <summary>The communicator that carries host memory (not disposed with this one).</summary>
    public ICommunicator Host => host;

    /// <summary>NCCL's version as ncclGetVersion reports it (e.g. 22105 for 2.21.5); loads libnccl.so.2 or throws <see cref="DistributedLibraryException"/>.</summary>
    public static int LibraryVersion()
    {
        DistributedLibraries.Nccl();
        int version;
        NcclException.Check(NcclNative.GetVersion(&version), "ncclGetVersion");
        return version;
    }

    /// <summary>
    /// A communicator of <paramref name="host"/>'s ranks over the CUDA <paramref name="device"/> of each (every rank
    /// calls this, collectively). Rank 0 makes the unique id, the host communicator broadcasts it, every rank calls
    /// ncclCommInitRank with ILGPU's CUDA context of <paramref name="device"/> made current on this thread.
    /// Throws ArgumentException for a device that is not CUDA, <see cref="DistributedLibraryException"/> when
    /// libnccl.so.2 is missing, <see cref="NcclException"/> when NCCL fails.
    /// </summary>
    public static NcclCommunicator Create(ICommunicator host, Device device)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(device);
        if (device.Kind != DeviceKind.Cuda)
        {
            throw new ArgumentException(
                $"NCCL reduces CUDA device memory; this rank's device is {device.Name}: use the host communicator (MPI) for CPU and OpenCL devices",
                nameof(device));
        }

        IntPtr library = DistributedLibraries.Nccl();
        foreach (string symbol in (string[])["ncclGetUniqueId", "ncclCommInitRank", "ncclAllReduce", "ncclCommDestroy", "ncclCommAbort"])
            DistributedLibraries.Export(library, symbol, DistributedLibraries.NcclName);
        NcclUniqueId id = ExchangeUniqueId(host, NewUniqueId);
        device.Accelerator.Bind();
        IntPtr comm;
        NcclException.Check(NcclNative.CommInitRank(&comm, host.Size, id, host.Rank), "ncclCommInitRank");
        return new NcclCommunicator(host, device, comm);
    }

    /// <summary>
    /// Rank 0 calls <paramref name="make"/> (ncclGetUniqueId), the others do not; the 128 bytes go to every rank
    /// over <paramref name="host"/>. A collective of the host communicator.
    /// </summary>
    internal static NcclUniqueId ExchangeUniqueId(ICommunicator host, Func<NcclUniqueId> make)
    {
        NcclUniqueId id = host.Rank == 0 ? make() : default;
        host.Broadcast(id.Bytes, 0);
        return id;
    }

    private static NcclUniqueId NewUniqueId()
    {
        NcclUniqueId id;
        NcclException.Check(NcclNative.GetUniqueId(&id), "ncclGetUniqueId");
        return id;
    }

    /// <summary>Sums <paramref name="values"/> (device memory of this communicator's device) over all ranks, in place; enqueued on the device's default stream.</summary>
    public void AllReduceSum(ArrayView<float> values)
    {
        if (values.Length == 0)
            return;
        if (values.GetAcceleratorType() != AcceleratorType.Cuda)
            throw new ArgumentException("the view is not CUDA device memory", nameof(values));
        AllReduceSum(values.LoadEffectiveAddressAsPtr(), values.Length, NcclDataType.Float32, ((CudaStream)device.Accelerator.DefaultStream).StreamPtr);
    }

    /// <summary>
    /// ncclAllReduce(sum) in place on <paramref name="count"/> elements at the device pointer <paramref name="buffer"/>,
    /// enqueued on <paramref name="stream"/> (0: CUDA's legacy default stream). Returns once enqueued.
    /// </summary>
    public void AllReduceSum(IntPtr buffer, long count, NcclDataType type, IntPtr stream)
    {
        CheckAllReduce(buffer, count, type);
        ObjectDisposedException.ThrowIf(comm == IntPtr.Zero, this);
        if (count == 0)
            return;
        NcclException.Check(NcclNative.AllReduce((void*)buffer, (void*)buffer, (nuint)count, type, NcclNative.Sum, comm, stream), "ncclAllReduce");
    }

    internal static void CheckAllReduce(IntPtr buffer, long count, NcclDataType type)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!Enum.IsDefined(type))
            throw new ArgumentOutOfRangeException(nameof(type), type, "not an NCCL data type NetSpec uses");
        if (count > 0 && buffer == IntPtr.Zero)
            throw new ArgumentNullException(nameof(buffer), "a null device pointer for a non-empty all-reduce");
    }

    /// <summary>Waits for the device's default stream (the enqueued reductions with it) and throws NCCL's asynchronous error, if any.</summary>
    public void Synchronize()
    {
        ObjectDisposedException.ThrowIf(comm == IntPtr.Zero, this);
        device.Accelerator.DefaultStream.Synchronize();
        int asyncError;
        NcclException.Check(NcclNative.CommGetAsyncError(comm, &asyncError), "ncclCommGetAsyncError");
        NcclException.Check(asyncError, "ncclAllReduce (asynchronous)");
    }

    public void AllReduceSum(Span<float> values) => host.AllReduceSum(values);

    public void AllReduceSum(Span<double> values) => host.AllReduceSum(values);

    public IPendingReduce StartAllReduceSum(Memory<float> values) => host.StartAllReduceSum(values);

    public void Broadcast(Span<byte> bytes, int root) => host.Broadcast(bytes, root);

    public void Barrier() => host.Barrier();

    /// <summary>ncclCommAbort (NCCL's kernels in flight stop), then the host communicator's abort.</summary>
    [DoesNotReturn]
    public void Abort(int exitCode)
    {
        IntPtr c = Interlocked.Exchange(ref comm, IntPtr.Zero);
        if (c != IntPtr.Zero)
            NcclNative.CommAbort(c);
        host.Abort(exitCode);
        Environment.Exit(exitCode == 0 ? 1 : exitCode);
    }

    /// <summary>ncclCommDestroy (after the device's work). The host communicator is the caller's to dispose.</summary>
    public void Dispose()
    {
        IntPtr c = Interlocked.Exchange(ref comm, IntPtr.Zero);
        if (c == IntPtr.Zero)
            return;
        device.Accelerator.DefaultStream.Synchronize();
        NcclException.Check(NcclNative.CommDestroy(c), "ncclCommDestroy");
    }
}
