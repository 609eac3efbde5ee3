using System.Numerics.Tensors;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// The squeeze-and-attention combine, fused: y = attn ⊙ res + attn (the attention map gates the residual
/// and is added back). Same shapes throughout.
/// </summary>
public static unsafe class AttentionGate
{
    // attn, res, y (N,C,H,W)
    public static void Forward(Device d, Tensor attn, Tensor res, Tensor y)
    {
        Check.Valid(attn, "attn");
        Check.SameShape(attn, res, "attn", "res");
        Check.SameShape(attn, y, "attn", "y");
        if (d.HostCode)
        {
            d.Synchronize();
            float* a = HostOps.P(attn.View), r = HostOps.P(res.View), o = HostOps.P(y.View);
            HostOps.Chunks(y.Length, (s, n) => TensorPrimitives.MultiplyAdd(HostOps.S(a, s, n), HostOps.S(r, s, n), HostOps.S(a, s, n), HostOps.S(o, s, n)));
            return;
        }

        int threads = d.GridStrideThreads(y.Length);
        d.Kernel("sa.gate.fwd", ForwardKernel)(threads, attn.View, res.View, y.View, threads);
    }

    // dAttn (=|+=) dy ⊙ (res + 1), dRes (=|+=) dy ⊙ attn; either may be absent (default)
    public static void Backward(Device d, Tensor attn, Tensor res, Tensor dy, Tensor dAttn, Tensor dRes, bool accumulateAttention, bool accumulateResidual)
    {
        Check.Valid(dy, "dy");
        Check.SameShape(attn, dy, "attn", "dy");
        Check.SameShape(res, dy, "res", "dy");
        bool wantAttention = dAttn.View.IsValid, wantResidual = dRes.View.IsValid;
        if (wantAttention)
            Check.SameShape(dAttn, dy, "dAttn", "dy");
        if (wantResidual)
            Check.SameShape(dRes, dy, "dRes", "dy");
        if (d.HostCode)
        {
            d.Synchronize();
            BackwardHost(attn, res, dy, dAttn, dRes, accumulateAttention, accumulateResidual);
            return;
        }

        int flags = (wantAttention ? (accumulateAttention ? 2 : 1) : 0) | (wantResidual ? (accumulateResidual ? 8 : 4) : 0);
        int threads = d.GridStrideThreads(dy.Length);
        d.Kernel("sa.gate.bwd", BackwardKernel)(
            threads, attn.View, res.View, dy.View, wantAttention ? dAttn.View : dy.View, wantResidual ? dRes.View : dy.View, flags, threads);
    }

    private static void BackwardHost(Tensor attn, Tensor res, Tensor dy, Tensor dAttn, Tensor dRes, bool accumulateAttention, bool accumulateResidual)
    {
        float* a = HostOps.P(attn.View), r = HostOps.P(res.View), g = HostOps.P(dy.View);
        float* da = dAttn.View.IsValid ? HostOps.P(dAttn.View) : null;
        float* dr = dRes.View.IsValid ? HostOps.P(dRes.View) : null;
        HostOps.Chunks(dy.Length, (s, n) =>
        {
            Span<float> grad = HostOps.S(g, s, n);
            if (da != null)
            {
                Span<float> dst = HostOps.S(da, s, n);
                if (accumulateAttention)
                {
                    // dAttn += dy·res + dy
                    TensorPrimitives.MultiplyAdd(grad, HostOps.S(r, s, n), dst, dst);
                    TensorPrimitives.Add(dst, grad, dst);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(grad, HostOps.S(r, s, n), grad, dst);
                }
            }

            if (dr != null)
            {
                Span<float> dst = HostOps.S(dr, s, n);
                if (accumulateResidual)
                    TensorPrimitives.MultiplyAdd(grad, HostOps.S(a, s, n), dst, dst);
                else
                    TensorPrimitives.Multiply(grad, HostOps.S(a, s, n), dst);
            }
        });
    }

    internal static void ForwardKernel(Index1D index, ArrayView<float> attn, ArrayView<float> res, ArrayView<float> y, int threads)
    {
        for (long i = index; i < y.Length; i += threads)
            y[i] = (attn[i] * res[i]) + attn[i];
    }

    // flags: 1 write dAttn, 2 add to it, 4 write dRes, 8 add to it
    internal static void BackwardKernel(Index1D index, ArrayView<float> attn, ArrayView<float> res, ArrayView<float> dy, ArrayView<float> dAttn, ArrayView<float> dRes, int flags, int threads)
    {
        for (long i = index; i < dy.Length; i += threads)
        {
            float g = dy[i];
            if ((flags & 3) != 0)
            {
                float v = g * (res[i] + 1f);
                dAttn[i] = (flags & 2) != 0 ? dAttn[i] + v : v;
            }

            if ((flags & 12) != 0)
            {
                float v = g * attn[i];
                dRes[i] = (flags & 8) != 0 ? dRes[i] + v : v;
            }
        }
    }
}
