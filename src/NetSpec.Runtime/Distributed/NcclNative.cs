using System.Diagnostics.CodeAnalysis;
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

/// <summary>NCCL's element types (ncclDataType_t), the ones a gradient buffer can have.</summary>
public enum NcclDataType
{
    Int32 = 2,
    Float16 = 6,
    Float32 = 7,
    Float64 = 8,
    BFloat16 = 9,
}

/// <summary>ncclUniqueId: 128 opaque bytes made by rank 0 (ncclGetUniqueId) and sent to every rank.</summary>
[StructLayout(LayoutKind.Sequential, Size = Length)]
public unsafe struct NcclUniqueId
{
    /// <summary>NCCL_UNIQUE_ID_BYTES.</summary>
    public const int Length = 128;

    private fixed byte bytes[Length];

    /// <summary>The 128 bytes, in place.</summary>
    [UnscopedRef]
    public Span<byte> Bytes => MemoryMarshal.CreateSpan(ref bytes[0], Length);
}

/// <summary>An NCCL call failed; the message has ncclGetErrorString's text.</summary>
public sealed class NcclException(string call, int result, string text) : Exception($"{call} failed: NCCL error {result}: {text}")
{
    public string Call { get; } = call;

    /// <summary>The ncclResult_t (1 unhandled CUDA error, 2 system error, 3 internal, 4 invalid argument, 5 invalid usage, 6 remote error).</summary>
    public int Result { get; } = result;

    internal static unsafe void Check(int result, string call)
    {
        if (result == NcclNative.Success)
            return;
        byte* text = NcclNative.GetErrorString(result);
        throw new NcclException(call, result, text is null ? "(no description)" : Marshal.PtrToStringUTF8((IntPtr)text) ?? "");
    }
}
