using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace NetSpec.Runtime.Distributed;

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
