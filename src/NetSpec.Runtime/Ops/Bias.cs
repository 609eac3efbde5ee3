using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>Per-channel bias: y[n,k,·] += b[k], and its gradient db[k] = Σ_{n,·} dy[n,k,·] (a group per channel on devices).</summary>
internal static class Bias
{
    // y (N,K,P,Q), b (K)
    public static void Add(Device d, Tensor y, ArrayView<float> b)
    {
        if (d.HostCode)
        {
            d.Synchronize();
            HostOps.BiasAdd(y, b);
            return;
        }

        Check.Fits32(y, "y");
        int threads = d.GridStrideThreads(y.Length);
        d.Kernel("bias.add", AddKernel)(
            threads, y.View, b, Dims.Of(y), threads);
    }

    // db (K) = Σ over n, p, q of dy (N,K,P,Q); written, not added
    public static void Gradient(Device d, Tensor dy, ArrayView<float> db)
    {
        if (d.HostCode)
        {
            d.Synchronize();
            HostOps.BiasGradient(dy, db);
            return;
        }

        d.GroupKernel("bias.grad", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, Dims>(GradientKernel))(
            GroupSum.Config(d, dy.C), dy.View, db, Dims.Of(dy));
    }

    internal static void AddKernel(Index1D index, ArrayView<float> y, ArrayView<float> b, Dims s, int stride)
    {
        int spatial = s.H * s.W;
        long total = s.Length;
        for (long i = index; i < total; i += stride)
            y[i] += b[((int)i / spatial) % s.C]; // 32-bit: the host checked y's length
    }

    // group k: thread t sums elements t, t + size, … of each image's plane k, then the group's threads add as a tree
    internal static void GradientKernel(ArrayView<float> dy, ArrayView<float> db, Dims s)
    {
        int k = Grid.IdxX;
        int spatial = s.H * s.W;
        float own = 0f;
        for (int n = 0; n < s.N; n++)
        {
            long b = (((long)n * s.C) + k) * spatial;
            for (int i = Group.IdxX; i < spatial; i += Group.DimX)
                own += dy[b + i];
        }

        float sum = GroupSum.Of(own);
        if (Group.IdxX == 0)
            db[k] = sum;
    }
}
