using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>
/// Copies between host arrays and device views (for tests, loaders and checkpoints). Synchronous: the
/// accelerator is drained first, so a copy never races a kernel still running on its stream (the CPU
/// accelerator's kernels run on worker threads), and again after an upload, so later host code sees it.
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
        T[] copy = data.ToArray();
        Accelerator accelerator = view.GetAccelerator();
        accelerator.Synchronize();
        view.CopyFromCPU(ref copy[0], copy.Length);
        accelerator.Synchronize();
    }

    public static T[] Download<T>(ArrayView<T> view)
        where T : unmanaged
    {
        var data = new T[view.Length];
        if (data.Length > 0)
        {
            view.GetAccelerator().Synchronize();
            view.CopyToCPU(ref data[0], data.Length);
        }
        return data;
    }
}
