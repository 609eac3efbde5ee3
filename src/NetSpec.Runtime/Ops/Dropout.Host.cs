using System.Numerics.Tensors;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>Dropout as host code over CPU-accelerator memory, chunked over cores; the mask is the kernel's (seed, index) hash.</summary>
public static unsafe partial class Dropout
{
    // mask[i] = [Uniform(seed, first + i) ≥ p] / (1 − p), y = x · mask
    private static void ForwardHost(Tensor xt, Tensor yt, ArrayView<float> maskV, float p, ulong seed, long first)
    {
        float* x = HostOps.P(xt.View), y = HostOps.P(yt.View), mask = HostOps.P(maskV);
        float keep = 1f / (1f - p);
        HostOps.Chunks(xt.Length, (s, n) =>
        {
            for (long i = s; i < s + n; i++)
                mask[i] = Uniform(seed, first + i) >= p ? keep : 0f;
            TensorPrimitives.Multiply(HostOps.S(x, s, n), HostOps.S(mask, s, n), HostOps.S(y, s, n));
        });
    }

    // dx (+)= dy · mask
    private static void BackwardHost(Tensor dyt, ArrayView<float> maskV, Tensor dxt, bool accumulate)
    {
        float* dy = HostOps.P(dyt.View), mask = HostOps.P(maskV), dx = HostOps.P(dxt.View);
        HostOps.Chunks(dyt.Length, (s, n) =>
        {
            if (accumulate)
                TensorPrimitives.MultiplyAdd(HostOps.S(dy, s, n), HostOps.S(mask, s, n), HostOps.S(dx, s, n), HostOps.S(dx, s, n));
            else
                TensorPrimitives.Multiply(HostOps.S(dy, s, n), HostOps.S(mask, s, n), HostOps.S(dx, s, n));
        });
    }
}
