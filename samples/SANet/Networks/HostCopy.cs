using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>Copies between host arrays and device views (synchronous).</summary>
public static class HostCopy
{
    public static float[] Download(ArrayView<float> view)
    {
        float[] host = new float[view.Length];
        if (host.Length > 0)
            view.CopyToCPU(ref host[0], host.Length);
        return host;
    }

    public static void Upload(ArrayView<float> view, float[] host)
    {
        if (host.Length != view.Length)
            throw new ArgumentException($"host array has {host.Length} values, device view {view.Length}");
        if (host.Length > 0)
            view.CopyFromCPU(ref host[0], host.Length);
    }

    public static void Upload(ArrayView<int> view, int[] host)
    {
        if (host.Length != view.Length)
            throw new ArgumentException($"host array has {host.Length} values, device view {view.Length}");
        if (host.Length > 0)
            view.CopyFromCPU(ref host[0], host.Length);
    }
}
