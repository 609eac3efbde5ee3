using System.Buffers;
using System.Numerics;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Resizing as host code over CPU-accelerator memory: one task per (n,c) plane, index and weight tables
/// computed once per call. Bilinear is separable: each needed source row is interpolated along W once, then
/// each output row is a lerp of two such rows. Backward runs the same steps transposed, scattering in order
/// inside a plane that its task owns (deterministic, no atomics).
/// </summary>
public static unsafe partial class Resize
{
    // one axis of bilinear: source indices i0, i1 and weights (1 − λ, λ) per output index
    private sealed record Axis(int[] I0, int[] I1, float[] A, float[] L, bool[] Used);

    private static Axis BilinearAxis(int inSize, int outSize, int alignCorners)
    {
        var axis = new Axis(new int[outSize], new int[outSize], new float[outSize], new float[outSize], new bool[inSize]);
        for (int o = 0; o < outSize; o++)
        {
            float s = SourceIndex(o, inSize, outSize, alignCorners);
            int i0 = (int)s;
            axis.I0[o] = i0;
            axis.I1[o] = i0 < inSize - 1 ? i0 + 1 : i0;
            axis.L[o] = s - i0;
            axis.A[o] = 1f - axis.L[o];
            axis.Used[i0] = axis.Used[axis.I1[o]] = true;
        }

        return axis;
    }

    // x (N,C,h,w) → y (N,C,H,W); rows: per needed source row t[h] = lerp_W(x[h]) (h×W), then y[oh] = a·t[h0] + λ·t[h1]
    private static void BilinearForwardHost(Tensor xt, Tensor yt, int alignCorners)
    {
        float* x = HostOps.P(xt.View), y = HostOps.P(yt.View);
        int h = xt.H, w = xt.W, oh = yt.H, ow = yt.W;
        Axis rows = BilinearAxis(h, oh, alignCorners), cols = BilinearAxis(w, ow, alignCorners);
        HostOps.Tasks(xt.N * xt.C, yt.Length, plane =>
        {
            float[] rented = ArrayPool<float>.Shared.Rent(h * ow);
            fixed (float* t = rented)
            {
                float* xp = x + ((long)plane * h * w), yp = y + ((long)plane * oh * ow);
                for (int r = 0; r < h; r++)
                {
                    if (rows.Used[r])
                        LerpGather(xp + ((long)r * w), cols, t + ((long)r * ow), ow);
                }

                for (int r = 0; r < oh; r++)
                    Lerp2(t + ((long)rows.I0[r] * ow), t + ((long)rows.I1[r] * ow), rows.A[r], rows.L[r], yp + ((long)r * ow), ow);
            }

            ArrayPool<float>.Shared.Return(rented);
        });
    }

    // dy (N,C,H,W) → dx (N,C,h,w): t[h0] += a·dy[oh], t[h1] += λ·dy[oh] (h×W), then dx[h][w0] += a·t[h][ow], dx[h][w1] += λ·t[h][ow]
    private static void BilinearBackwardHost(Tensor dyt, Tensor dxt, int alignCorners, bool accumulate)
    {
        float* dy = HostOps.P(dyt.View), dx = HostOps.P(dxt.View);
        int h = dxt.H, w = dxt.W, oh = dyt.H, ow = dyt.W;
        Axis rows = BilinearAxis(h, oh, alignCorners), cols = BilinearAxis(w, ow, alignCorners);
        HostOps.Tasks(dxt.N * dxt.C, dyt.Length, plane =>
        {
            float[] rented = ArrayPool<float>.Shared.Rent(h * ow);
            fixed (float* t = rented)
            {
                float* gp = dy + ((long)plane * oh * ow), dp = dx + ((long)plane * h * w);
                new Span<float>(t, h * ow).Clear();
                for (int r = 0; r < oh; r++)
                {
                    float* g = gp + ((long)r * ow);
                    AddScaled(g, rows.A[r], t + ((long)rows.I0[r] * ow), ow);
                    AddScaled(g, rows.L[r], t + ((long)rows.I1[r] * ow), ow);
                }

                if (!accumulate)
                    new Span<float>(dp, h * w).Clear();
                for (int r = 0; r < h; r++)
                {
                    if (!rows.Used[r])
                        continue;
                    float* tr = t + ((long)r * ow), dr = dp + ((long)r * w);
                    for (int c = 0; c < ow; c++)
                    {
                        dr[cols.I0[c]] += cols.A[c] * tr[c];
                        dr[cols.I1[c]] += cols.L[c] * tr[c];
                    }
                }
            }

            ArrayPool<float>.Shared.Return(rented);
        });
    }

    // t[c] = a[c]·src[i0[c]] + λ[c]·src[i1[c]]
    private static void LerpGather(float* src, Axis cols, float* t, int n)
    {
        for (int c = 0; c < n; c++)
            t[c] = (cols.A[c] * src[cols.I0[c]]) + (cols.L[c] * src[cols.I1[c]]);
    }

    // y = a·t0 + λ·t1
    private static void Lerp2(float* t0, float* t1, float a, float l, float* y, int n)
    {
        int vc = Vector<float>.Count, i = 0;
        Vector<float> va = new(a), vl = new(l);
        for (; i <= n - vc; i += vc)
            *(Vector<float>*)(y + i) = (va * *(Vector<float>*)(t0 + i)) + (vl * *(Vector<float>*)(t1 + i));
        for (; i < n; i++)
            y[i] = (a * t0[i]) + (l * t1[i]);
    }

    // t += a·g
    private static void AddScaled(float* g, float a, float* t, int n)
    {
        int vc = Vector<float>.Count, i = 0;
        Vector<float> va = new(a);
        for (; i <= n - vc; i += vc)
            *(Vector<float>*)(t + i) += va * *(Vector<float>*)(g + i);
        for (; i < n; i++)
            t[i] += a * g[i];
    }

    private static int[] NearestTable(int inSize, int outSize)
    {
        var table = new int[outSize];
        for (int o = 0; o < outSize; o++)
            table[o] = NearestIndex(o, inSize, outSize);
        return table;
    }

    // x (N,C,h,w) → y (N,C,H,W): y[oh][ow] = x[ri[oh]][ci[ow]]; an output row with the same source row as the last is a copy
    private static void NearestForwardHost(Tensor xt, Tensor yt)
    {
        float* x = HostOps.P(xt.View), y = HostOps.P(yt.View);
        int h = xt.H, w = xt.W, oh = yt.H, ow = yt.W;
        int[] ri = NearestTable(h, oh), ci = NearestTable(w, ow);
        HostOps.Tasks(xt.N * xt.C, yt.Length, plane =>
        {
            float* xp = x + ((long)plane * h * w), yp = y + ((long)plane * oh * ow);
            for (int r = 0; r < oh; r++)
            {
                float* yr = yp + ((long)r * ow);
                if (r > 0 && ri[r] == ri[r - 1])
                {
                    new Span<float>(yr - ow, ow).CopyTo(new Span<float>(yr, ow));
                    continue;
                }

                float* src = xp + ((long)ri[r] * w);
                for (int c = 0; c < ow; c++)
                    yr[c] = src[ci[c]];
            }
        });
    }

    // dx[ri[oh]][ci[ow]] += dy[oh][ow], in order within each plane
    private static void NearestBackwardHost(Tensor dyt, Tensor dxt, bool accumulate)
    {
        float* dy = HostOps.P(dyt.View), dx = HostOps.P(dxt.View);
        int h = dxt.H, w = dxt.W, oh = dyt.H, ow = dyt.W;
        int[] ri = NearestTable(h, oh), ci = NearestTable(w, ow);
        HostOps.Tasks(dxt.N * dxt.C, dyt.Length, plane =>
        {
            float* gp = dy + ((long)plane * oh * ow), dp = dx + ((long)plane * h * w);
            if (!accumulate)
                new Span<float>(dp, h * w).Clear();
            for (int r = 0; r < oh; r++)
            {
                float* g = gp + ((long)r * ow), dr = dp + ((long)ri[r] * w);
                for (int c = 0; c < ow; c++)
                    dr[ci[c]] += g[c];
            }
        });
    }
}
