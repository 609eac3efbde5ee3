using System.Buffers;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// <see cref="Memory{T}"/> over floats that do not move (CPU-accelerator memory, which ILGPU allocates outside the
/// managed heap): a gradient bucket is all-reduced in place there, with no copy. Pinning is a no-op.
/// </summary>
internal sealed unsafe class HostFloats(float* pointer, int length) : MemoryManager<float>
{
    public override Span<float> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)length, nameof(elementIndex));
        return new MemoryHandle(pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
