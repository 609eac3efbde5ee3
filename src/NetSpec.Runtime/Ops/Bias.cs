using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>Per-channel bias: y[n,k,·] += b[k], and its gradient db[k] = Σ_{n,·} dy[n,k,·].</summary>
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

        int threads = d.GridStrideThreads(dy.C);
        d.Kernel("bias.grad", GradientKernel)(
            threads, dy.View, db, Dims.Of(dy), threads);
    }

    internal static void AddKernel(Index1D index, ArrayView<float> y, ArrayView<float> b, Dims s, int stride)
    {
        long spatial = (long)s.H * s.W;
        long total = s.Length;
        for (long i = index; i < total; i += stride)
            y[i] += b[(i / spatial) % s.C];
    }

    internal static void GradientKernel(Index1D index, ArrayView<float> dy, ArrayView<float> db, Dims s, int stride)
    {
        long spatial = (long)s.H * s.W;
        for (int k = index; k < s.C; k += stride)
        {
            float sum = 0f;
            for (int n = 0; n < s.N; n++)
            {
                long b = ((long)n * s.C + k) * spatial;
                for (long i = 0; i < spatial; i++)
                    sum += dy[b + i];
            }

            db[k] = sum;
        }
    }
}
