using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>Copies between host arrays and device views (synchronous; for tests, loaders and checkpoints).</summary>
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
        view.CopyFromCPU(ref copy[0], copy.Length);
    }

    public static T[] Download<T>(ArrayView<T> view)
        where T : unmanaged
    {
        var data = new T[view.Length];
        if (data.Length > 0)
            view.CopyToCPU(ref data[0], data.Length);
        return data;
    }
}
