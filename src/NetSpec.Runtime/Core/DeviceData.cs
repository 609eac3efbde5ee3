using ILGPU;
using ILGPU.Runtime;
using NetSpec.Runtime.Profiling;

namespace NetSpec.Runtime;

/// <summary>
/// Copies between host arrays and device views (for tests, loaders and checkpoints). Synchronous: the
/// accelerator is drained first, so a copy never races a kernel still running on its stream (the CPU
/// accelerator's kernels run on worker threads), and again after an upload, so later host code sees it.
/// CPU-accelerator memory is plain host memory and is copied directly on the calling thread: ILGPU's own
/// CPU copies were seen to leave a resumed run with a few tensors not as written (one run in three).
/// </summary>
public static class DeviceData
{
    public static void Upload<T>(ArrayView<T> view, ReadOnlySpan<T> data)
        where T : unmanaged
    {
        if (data.Length != view.Length)
            throw new ArgumentException($"upload of {data.Length} values into a view of {view.Length}");
        if (data.Length == 0)
            return;
        Accelerator accelerator = view.GetAccelerator();
        if (Traced(accelerator, CopyKind.Upload, view.LengthInBytes))
            return;
        accelerator.Synchronize();
        if (accelerator.AcceleratorType == AcceleratorType.CPU)
        {
            data.CopyTo(HostSpan(view)); // plain memory: copy on this thread, done when this returns
            return;
        }

        T[] copy = data.ToArray();
        view.CopyFromCPU(ref copy[0], copy.Length);
        accelerator.Synchronize();
    }

    /// <summary>Zeroes a view (CPU memory directly; elsewhere by uploading zeros).</summary>
    public static void Zero<T>(ArrayView<T> view)
        where T : unmanaged
    {
        Accelerator accelerator = view.GetAccelerator();
        if (Traced(accelerator, CopyKind.Zero, view.LengthInBytes))
            return;
        accelerator.Synchronize();
        if (accelerator.AcceleratorType == AcceleratorType.CPU)
        {
            HostSpan(view).Clear();
            return;
        }

        view.MemSetToZero();
        accelerator.Synchronize();
    }

    // records the copy on this thread's trace of that accelerator; true when the trace is record-only (skip the copy)
    private static bool Traced(Accelerator accelerator, CopyKind kind, long bytes)
    {
        if (StepTrace.For(accelerator) is not { } trace)
            return false;
        trace.Add(new HostCopy(kind, bytes));
        return trace.RecordOnly;
    }

    private static unsafe Span<T> HostSpan<T>(ArrayView<T> view)
        where T : unmanaged => new(HostAccess.Pointer(view), checked((int)view.Length));

    /// <summary>Copies a view into <paramref name="into"/> (its length), without allocating on the CPU accelerator.</summary>
    public static void Download<T>(ArrayView<T> view, Span<T> into)
        where T : unmanaged
    {
        if (into.Length != view.Length)
            throw new ArgumentException($"download of a view of {view.Length} values into {into.Length}");
        if (into.Length == 0)
            return;
        Accelerator accelerator = view.GetAccelerator();
        if (Traced(accelerator, CopyKind.Download, view.LengthInBytes))
            return;
        accelerator.Synchronize();
        if (accelerator.AcceleratorType == AcceleratorType.CPU)
            HostSpan(view).CopyTo(into);
        else
            view.CopyToCPU(ref into[0], into.Length);
    }

    public static T[] Download<T>(ArrayView<T> view)
        where T : unmanaged
    {
        var data = new T[view.Length];
        if (data.Length > 0)
        {
            Accelerator accelerator = view.GetAccelerator();
            if (Traced(accelerator, CopyKind.Download, view.LengthInBytes))
                return data; // record-only: zeros, the device's memory untouched
            accelerator.Synchronize();
            if (accelerator.AcceleratorType == AcceleratorType.CPU)
                HostSpan(view).CopyTo(data);
            else
                view.CopyToCPU(ref data[0], data.Length);
        }
        return data;
    }
}
