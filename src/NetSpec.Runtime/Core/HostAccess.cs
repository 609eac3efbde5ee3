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
        where T : unmanaged => Pointer<ArrayView<T>, T>(view);

    // through a constrained generic call, so the view is not boxed (this runs for every host op)
    private static T* Pointer<TView, T>(TView view)
        where TView : struct, IArrayView, IContiguousArrayView
        where T : unmanaged
    {
        if (view.Buffer is not { } buffer || buffer.AcceleratorType != AcceleratorType.CPU)
            throw new InvalidOperationException("host access needs CPU-accelerator memory");
        return (T*)buffer.NativePtr + view.Index;
    }
}
