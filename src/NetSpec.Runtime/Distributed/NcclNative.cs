using System.Runtime.InteropServices;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// The NCCL calls NetSpec makes, bound to <c>libnccl.so.2</c> (NCCL 2.x, nccl.h). Every call returns an
/// ncclResult_t (0 = ncclSuccess). ncclComm_t and cudaStream_t are pointers; ncclUniqueId is 128 bytes passed by
/// value to ncclCommInitRank. Compile-tested only on machines without NCCL (see docs/distributed.md, "NCCL").
/// </summary>
internal static unsafe partial class NcclNative
{
    private const string Lib = DistributedLibraries.NcclName;

    public const int Success = 0;

    [LibraryImport(Lib, EntryPoint = "ncclGetVersion")]
    public static partial int GetVersion(int* version);

    [LibraryImport(Lib, EntryPoint = "ncclGetUniqueId")]
    public static partial int GetUniqueId(NcclUniqueId* id);

    [LibraryImport(Lib, EntryPoint = "ncclCommInitRank")]
    public static partial int CommInitRank(IntPtr* comm, int ranks, NcclUniqueId id, int rank);

    [LibraryImport(Lib, EntryPoint = "ncclAllReduce")]
    public static partial int AllReduce(void* sendBuffer, void* receiveBuffer, nuint count, NcclDataType datatype, int op, IntPtr comm, IntPtr stream);

    [LibraryImport(Lib, EntryPoint = "ncclCommGetAsyncError")]
    public static partial int CommGetAsyncError(IntPtr comm, int* asyncError);

    [LibraryImport(Lib, EntryPoint = "ncclCommDestroy")]
    public static partial int CommDestroy(IntPtr comm);

    [LibraryImport(Lib, EntryPoint = "ncclCommAbort")]
    public static partial int CommAbort(IntPtr comm);

    [LibraryImport(Lib, EntryPoint = "ncclGetErrorString")]
    public static partial byte* GetErrorString(int result);

    public const int Sum = 0; // ncclSum
}
