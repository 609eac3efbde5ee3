using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Inverted dropout. The keep decision for element i depends only on (seed, i): a SplitMix64 hash of
/// the pair gives a 24-bit uniform u, and the element is kept when u ≥ p. Any device gives the same mask.
/// </summary>
public static partial class Dropout
{
    // x, y, mask: same length; mask ∈ {0, 1/(1−p)}
    public static void Forward(Device d, Tensor x, Tensor y, ArrayView<float> mask, float p, ulong seed)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        Check.Length(mask, x.Length, "mask");
        Check.That(p >= 0f && p < 1f, $"dropout probability {p} must be in [0, 1)");
        long first = d.BatchOffset * (x.Length / Math.Max(1, x.N)); // this shard's first element in the global batch
        if (d.HostCode)
        {
            d.Synchronize();
            ForwardHost(x, y, mask, p, seed, first);
            return;
        }

        int threads = d.GridStrideThreads(x.Length);
        d.Kernel("dropout.fwd", ForwardKernel)(
            threads, x.View, y.View, mask, x.Length, p, seed, first, threads);
    }

    // dx = dy · mask
    public static void Backward(Device d, Tensor dy, ArrayView<float> mask, Tensor dx, bool accumulate)
    {
        Check.Valid(dy, "dy");
        Check.SameShape(dy, dx, "dy", "dx");
        Check.Length(mask, dy.Length, "mask");
        if (d.HostCode)
        {
            d.Synchronize();
            BackwardHost(dy, mask, dx, accumulate);
            return;
        }

        int threads = d.GridStrideThreads(dy.Length);
        d.Kernel("dropout.bwd", BackwardKernel)(
            threads, dy.View, mask, dx.View, dy.Length, accumulate ? 1 : 0, threads);
    }

    /// <summary>Uniform in [0, 1) from (seed, index): SplitMix64 finaliser over seed ⊕ index·golden ratio.</summary>
    public static float Uniform(ulong seed, long index)
    {
        ulong z = seed + ((ulong)index + 1UL) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (float)(z >> 40) * (1f / 16777216f);
    }

    // element i draws at global index first + i (first: the shard's offset in the global batch, 0 in one process)
    internal static void ForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> mask, long n, float p, ulong seed, long first, int stride)
    {
        float keep = 1f / (1f - p);
        for (long i = index; i < n; i += stride)
        {
            float m = Uniform(seed, first + i) >= p ? keep : 0f;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    internal static void BackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> mask, ArrayView<float> dx, long n, int accumulate, int stride)
    {
        for (long i = index; i < n; i += stride)
        {
            float g = dy[i] * mask[i];
            dx[i] = accumulate != 0 ? dx[i] + g : g;
        }
    }
}
