using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Pooling as host code over CPU-accelerator memory: one task per (n,c) plane, window bounds clipped once
/// per call. Average pooling is separable (a sum of rows, then a sum along W); backward scatters in order
/// inside the plane its task owns (deterministic, no atomics).
/// </summary>
public static unsafe partial class Pooling
{
    // window [lo, hi) of input positions of each output position along one axis, clipped to [0, size)
    private static (int[] Lo, int[] Hi) Windows(int outSize, int size, int kernel, int stride, int pad)
    {
        int[] lo = new int[outSize], hi = new int[outSize];
        for (int o = 0; o < outSize; o++)
        {
            int start = (o * stride) - pad;
            lo[o] = Math.Max(start, 0);
            hi[o] = Math.Min(start + kernel, size);
        }

        return (lo, hi);
    }

    // x (N,C,H,W) → y (N,C,P,Q): row[w] = Σ_{h in window p} x[h][w], y[p][q] = Σ_{w in window q} row[w] / (kh·kw)
    private static void AvgForwardHost(Tensor xt, Tensor yt, PoolGeometry g)
    {
        float* x = HostOps.P(xt.View), y = HostOps.P(yt.View);
        int h = xt.H, w = xt.W, ph = yt.H, pw = yt.W;
        (int[] rlo, int[] rhi) = Windows(ph, h, g.KernelH, g.StrideH, g.PadH);
        (int[] clo, int[] chi) = Windows(pw, w, g.KernelW, g.StrideW, g.PadW);
        float inv = 1f / (g.KernelH * g.KernelW);
        HostOps.Tasks(xt.N * xt.C, xt.Length, plane =>
        {
            float[] rented = ArrayPool<float>.Shared.Rent(w);
            var row = new Span<float>(rented, 0, w);
            float* xp = x + ((long)plane * h * w), yp = y + ((long)plane * ph * pw);
            for (int p = 0; p < ph; p++)
            {
                row.Clear();
                for (int r = rlo[p]; r < rhi[p]; r++)
                    TensorPrimitives.Add(row, new ReadOnlySpan<float>(xp + ((long)r * w), w), row);
                float* yr = yp + ((long)p * pw);
                for (int q = 0; q < pw; q++)
                {
                    float sum = 0f;
                    for (int c = clo[q]; c < chi[q]; c++)
                        sum += row[c];
                    yr[q] = sum * inv;
                }
            }

            ArrayPool<float>.Shared.Return(rented);
        });
    }

    // dy (N,C,P,Q) → dx (N,C,H,W): t[p][w] = Σ_{q: w in window q} dy[p][q] (P×W), dx[h] (+)= Σ_{p: h in window p} t[p] / (kh·kw)
    private static void AvgBackwardHost(Tensor dyt, Tensor dxt, PoolGeometry g, bool accumulate)
    {
        float* dy = HostOps.P(dyt.View), dx = HostOps.P(dxt.View);
        int h = dxt.H, w = dxt.W, ph = dyt.H, pw = dyt.W;
        (int[] clo, int[] chi) = Windows(pw, w, g.KernelW, g.StrideW, g.PadW);
        float inv = 1f / (g.KernelH * g.KernelW);
        HostOps.Tasks(dxt.N * dxt.C, dxt.Length, plane =>
        {
            float[] rented = ArrayPool<float>.Shared.Rent((ph + 1) * w);
            var t = new Span<float>(rented, 0, ph * w);
            var row = new Span<float>(rented, ph * w, w);
            float* gp = dy + ((long)plane * ph * pw), dp = dx + ((long)plane * h * w);
            t.Clear();
            for (int p = 0; p < ph; p++)
            {
                Span<float> tr = t.Slice(p * w, w);
                float* gr = gp + ((long)p * pw);
                for (int q = 0; q < pw; q++)
                {
                    for (int c = clo[q]; c < chi[q]; c++)
                        tr[c] += gr[q];
                }
            }

            for (int r = 0; r < h; r++)
            {
                // outputs p whose window [p·s − pad, p·s − pad + k) contains r
                int p0 = g.FirstRowOver(r);
                int p1 = g.LastRowOver(r, ph);
                row.Clear();
                for (int p = p0; p <= p1; p++)
                    TensorPrimitives.Add(row, t.Slice(p * w, w), row);
                var dr = new Span<float>(dp + ((long)r * w), w);
                if (accumulate)
                    TensorPrimitives.MultiplyAdd(row, inv, dr, dr);
                else
                    TensorPrimitives.Multiply(row, inv, dr);
            }

            ArrayPool<float>.Shared.Return(rented);
        });
    }

    // x (N,C,H,W) → y, argmax (N,C,P,Q): first maximum in row-major window order; argmax is a flat index into x
    private static void MaxForwardHost(Tensor xt, Tensor yt, ArrayView<int> argmaxV, PoolGeometry g)
    {
        float* x = HostOps.P(xt.View), y = HostOps.P(yt.View);
        int* argmax = HostAccess.Pointer(argmaxV);
        int h = xt.H, w = xt.W, ph = yt.H, pw = yt.W;
        (int[] rlo, int[] rhi) = Windows(ph, h, g.KernelH, g.StrideH, g.PadH);
        (int[] clo, int[] chi) = Windows(pw, w, g.KernelW, g.StrideW, g.PadW);
        HostOps.Tasks(xt.N * xt.C, yt.Length * g.KernelH * g.KernelW, plane =>
        {
            long baseX = (long)plane * h * w, baseY = (long)plane * ph * pw;
            (int vq0, int vq1) = MaxVectorRange(g, w, pw);
            for (int p = 0; p < ph; p++)
            {
                for (int q = 0; q < pw; q++)
                {
                    if (q == vq0 && rhi[p] > rlo[p])
                    {
                        for (; q + 16 <= vq1; q += 16)
                            MaxSixteen(x, baseX, w, rlo[p], rhi[p], q, g, y + baseY + ((long)p * pw) + q, argmax + baseY + ((long)p * pw) + q);
                        if (q >= pw)
                            break;
                    }

                    float best = float.NegativeInfinity;
                    long bestIndex = -1;
                    for (int r = rlo[p]; r < rhi[p]; r++)
                    {
                        float* xr = x + baseX + ((long)r * w);
                        for (int c = clo[q]; c < chi[q]; c++)
                        {
                            if (xr[c] > best || bestIndex < 0)
                            {
                                best = xr[c];
                                bestIndex = baseX + ((long)r * w) + c;
                            }
                        }
                    }

                    long o = baseY + ((long)p * pw) + q;
                    y[o] = best;
                    argmax[o] = (int)bestIndex;
                }
            }
        });
    }

    // outputs [q0, q1) of a row whose windows lie inside the row, and whose vector loads (16 lanes, or 32
    // floats for stride 2) end inside it too; empty where there are no 512-bit vectors or other strides
    private static (int Q0, int Q1) MaxVectorRange(PoolGeometry g, int w, int pw)
    {
        if (!Avx512F.IsSupported || g.StrideW is not (1 or 2))
            return (-1, -1);
        int q0 = XMathInt.CeilDiv(g.PadW, g.StrideW);
        int lanesRead = g.StrideW == 1 ? 16 : 32;
        // the last read of outputs [q, q + 16) is x[(q · s) − pad + (k − 1) + lanesRead − 1] < w
        int last = XMathInt.FloorDiv(w - 1 - (g.KernelW - 1) - lanesRead + 1 + g.PadW, g.StrideW);
        return (q0, Math.Min(pw, last + 16));
    }

    // y, argmax of the 16 outputs [q, q + 16) of one output row: the window's first element, then every later
    // one that is strictly greater (row-major order: the first maximum wins, as in the scalar loop)
    private static void MaxSixteen(float* x, long baseX, int w, int r0, int r1, int q, PoolGeometry g, float* y, int* argmax)
    {
        var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * g.StrideW;
        Vector512<float> best = default;
        Vector512<int> bestIndex = default;
        for (int r = r0; r < r1; r++)
        {
            for (int s = 0; s < g.KernelW; s++)
            {
                long col = baseX + ((long)r * w) + ((long)q * g.StrideW) - g.PadW + s;
                Vector512<float> v = g.StrideW == 1 ? Vector512.Load(x + col) : HostOps.LoadEvens(x + col);
                Vector512<int> index = Vector512.Create((int)col) + lane;
                if (r == r0 && s == 0)
                {
                    (best, bestIndex) = (v, index);
                    continue;
                }

                Vector512<float> greater = Vector512.GreaterThan(v, best);
                best = Vector512.ConditionalSelect(greater, v, best);
                bestIndex = Vector512.ConditionalSelect(greater.AsInt32(), index, bestIndex);
            }
        }

        best.Store(y);
        bestIndex.Store(argmax);
    }

    // dx[argmax[o]] += dy[o]; each plane's outputs point into the same plane of dx, which its task owns
    private static void MaxBackwardHost(Tensor dyt, ArrayView<int> argmaxV, Tensor dxt, bool accumulate)
    {
        float* dy = HostOps.P(dyt.View), dx = HostOps.P(dxt.View);
        int* argmax = HostAccess.Pointer(argmaxV);
        int hw = dxt.Spatial, out1 = dyt.Spatial;
        HostOps.Tasks(dxt.N * dxt.C, dyt.Length, plane =>
        {
            long start = (long)plane * hw;
            float* dp = dx + start;
            if (!accumulate)
                new Span<float>(dp, hw).Clear();
            for (long o = (long)plane * out1; o < (long)(plane + 1) * out1; o++)
            {
                long i = argmax[o] - start;
                if ((ulong)i >= (ulong)hw)
                    throw new InvalidOperationException($"max-pool argmax {argmax[o]} of output {o} lies outside its plane");
                dp[i] += dy[o];
            }
        });
    }

    // x (N,C,H,W) → y (N,C,1,1) = plane means
    private static void GlobalAvgForwardHost(Tensor xt, Tensor yt)
    {
        float* x = HostOps.P(xt.View), y = HostOps.P(yt.View);
        int hw = xt.Spatial;
        HostOps.Tasks(xt.N * xt.C, xt.Length, plane => y[plane] = TensorPrimitives.Sum(new ReadOnlySpan<float>(x + ((long)plane * hw), hw)) / hw);
    }

    // dx[n,c,·] (+)= dy[n,c] / (H·W)
    private static void GlobalAvgBackwardHost(Tensor dyt, Tensor dxt, bool accumulate)
    {
        float* dy = HostOps.P(dyt.View), dx = HostOps.P(dxt.View);
        int hw = dxt.Spatial;
        HostOps.Tasks(dxt.N * dxt.C, dxt.Length, plane =>
        {
            var dp = new Span<float>(dx + ((long)plane * hw), hw);
            float g = dy[plane] / hw;
            if (accumulate)
                TensorPrimitives.Add(dp, g, dp);
            else
                dp.Fill(g);
        });
    }
}
