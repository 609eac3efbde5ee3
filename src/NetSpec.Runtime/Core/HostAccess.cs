using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>
/// Host spans over CPU-accelerator memory, for the vectorised host code that replaces emulated
/// kernel threads on the CPU. Callers synchronise the device first.
/// </summary>
internal static unsafe class HostAccess
{
    public static Span<float> Floats(ArrayView<float> view) =>
        view.IsValid ? new Span<float>(Pointer(view), checked((int)view.Length)) : default;

    public static Span<int> Ints(ArrayView<int> view) =>
        view.IsValid ? new Span<int>(Pointer(view), checked((int)view.Length)) : default;

    /// <summary>Address of the view's first element (CPU accelerator memory only).</summary>
    public static T* Pointer<T>(ArrayView<T> view)
        where T : unmanaged
    {
        if (((IArrayView)view).Buffer is not { } buffer || buffer.AcceleratorType != AcceleratorType.CPU)
            throw new InvalidOperationException("host access needs CPU-accelerator memory");
        return (T*)buffer.NativePtr + ((IContiguousArrayView)view).Index;
    }
}
