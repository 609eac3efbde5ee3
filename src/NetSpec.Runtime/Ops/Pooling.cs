using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

public readonly record struct PoolGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>Output size (floor mode): (in + 2·pad − k) / stride + 1.</summary>
    public int OutH(int h) => ((h + (2 * PadH) - KernelH) / StrideH) + 1;

    public int OutW(int w) => ((w + (2 * PadW) - KernelW) / StrideW) + 1;

    /// <summary>The output rows [first, last] whose window [p·s − pad, p·s − pad + k) holds input row h, within [0, outH).</summary>
    public int FirstRowOver(int h) => NotBelowZero(XMathInt.CeilDiv(h + PadH - KernelH + 1, StrideH));

    public int LastRowOver(int h, int outH) => Below(XMathInt.FloorDiv(h + PadH, StrideH), outH);

    /// <summary>The same for the output columns over input column w.</summary>
    public int FirstColumnOver(int w) => NotBelowZero(XMathInt.CeilDiv(w + PadW - KernelW + 1, StrideW));

    public int LastColumnOver(int w, int outW) => Below(XMathInt.FloorDiv(w + PadW, StrideW), outW);

    private static int NotBelowZero(int v) => v < 0 ? 0 : v;

    private static int Below(int v, int limit) => v < limit ? v : limit - 1;
}

/// <summary>
/// The pooling windows that hold input element i = (plane, h, w) of dx: output rows [P0, P1] and columns [Q0, Q1] of its
/// plane, which starts at <see cref="BaseY"/> in dy.
/// </summary>
internal readonly record struct PoolWindowsOver(long BaseY, int P0, int P1, int Q0, int Q1)
{
    public static PoolWindowsOver Element(int i, Dims sdx, Dims sdy, PoolGeometry g)
    {
        int w = i % sdx.W;
        int h = (i / sdx.W) % sdx.H;
        long baseY = (long)(i / (sdx.W * sdx.H)) * sdy.H * sdy.W;
        return new PoolWindowsOver(baseY, g.FirstRowOver(h), g.LastRowOver(h, sdy.H), g.FirstColumnOver(w), g.LastColumnOver(w, sdy.W));
    }
}

/// <summary>Max pool (argmax kept for backward), average pool (count_include_pad), global average pool.</summary>
public static partial class Pooling
{
    // x (N,C,H,W), y (N,C,P,Q), argmax (N·C·P·Q): flat index into x of each output's maximum
    public static void MaxForward(Device d, Tensor x, Tensor y, ArrayView<int> argmax, PoolGeometry g)
    {
        if (PoolHostPath(d, x, y, g, backward: false, out int threads, argmax))
            MaxForwardHost(x, y, argmax, g);
        else
            d.Kernel("maxpool.fwd", MaxForwardKernel)(threads, x.View, y.View, argmax, Dims.Of(x), Dims.Of(y), g, threads);
    }

    // dx[i] (=|+=) Σ dy[o] over the outputs o whose argmax is i: host code scatters in output order; the kernel
    // gathers (one thread per dx element visits the windows that contain it, in order: no atomics, same bits every run)
    public static void MaxBackward(Device d, Tensor dy, ArrayView<int> argmax, Tensor dx, PoolGeometry g, bool accumulate)
    {
        if (PoolHostPath(d, dx, dy, g, backward: true, out int threads, argmax))
            MaxBackwardHost(dy, argmax, dx, accumulate);
        else
            d.Kernel("maxpool.bwd", MaxBackwardKernel)(threads, dy.View, argmax, dx.View, Dims.Of(dy), Dims.Of(dx), g, accumulate ? 1 : 0, threads);
    }

    // y = mean over the k×k window, padding counted as zeros (divisor k·k)
    public static void AvgForward(Device d, Tensor x, Tensor y, PoolGeometry g)
    {
        if (PoolHostPath(d, x, y, g, backward: false, out int threads))
            AvgForwardHost(x, y, g);
        else
            d.Kernel("avgpool.fwd", AvgForwardKernel)(threads, x.View, y.View, Dims.Of(x), Dims.Of(y), g, threads);
    }

    // dx[h,w] = Σ over windows containing (h,w) of dy / (k·k)   (gather, one thread per dx element)
    public static void AvgBackward(Device d, Tensor dy, Tensor dx, PoolGeometry g, bool accumulate)
    {
        if (PoolHostPath(d, dx, dy, g, backward: true, out int threads))
            AvgBackwardHost(dy, dx, g, accumulate);
        else
            d.Kernel("avgpool.bwd", AvgBackwardKernel)(threads, dy.View, dx.View, Dims.Of(dy), Dims.Of(dx), g, accumulate ? 1 : 0, threads);
    }

    // x (N,C,H,W) → y (N,C,1,1)
    public static void GlobalAvgForward(Device d, Tensor x, Tensor y)
    {
        Check.Valid(x, "x");
        Check.Valid(y, "y");
        Check.That(y.N == x.N && y.C == x.C && y.H == 1 && y.W == 1, $"y {y} must be ({x.N},{x.C},1,1) for x {x}");
        if (d.HostPath(y.Length, out int threads))
            GlobalAvgForwardHost(x, y);
        else
            d.Kernel("gap.fwd", GlobalAvgForwardKernel)(threads, x.View, y.View, (long)x.N * x.C, x.Spatial, threads);
    }

    // dx = dy / (H·W), broadcast over H,W
    public static void GlobalAvgBackward(Device d, Tensor dy, Tensor dx, bool accumulate)
    {
        Check.Valid(dy, "dy");
        Check.Valid(dx, "dx");
        Check.That(dy.N == dx.N && dy.C == dx.C && dy.H == 1 && dy.W == 1, $"dy {dy} must be ({dx.N},{dx.C},1,1) for dx {dx}");
        if (d.HostPath(dx.Length, out int threads))
        {
            GlobalAvgBackwardHost(dy, dx, accumulate);
            return;
        }

        Check.Fits32(dx, "dx");
        d.Kernel("gap.bwd", GlobalAvgBackwardKernel)(threads, dy.View, dx.View, dx.Length, dx.Spatial, accumulate ? 1 : 0, threads);
    }

    // x and y (dx and dy backward) checked against g, max pool's argmax against y, then XAndY.HostPath
    private static bool PoolHostPath(Device d, Tensor x, Tensor y, PoolGeometry g, bool backward, out int threads, ArrayView<int>? argmax = null)
    {
        CheckPool(x, y, g);
        if (argmax is { } indices)
            Check.Length(indices, y.Length, "argmax");
        return XAndY.HostPath(d, x, y, backward, out threads);
    }

    private static void CheckPool(Tensor x, Tensor y, PoolGeometry g)
    {
        Check.Valid(x, "x");
        Check.Valid(y, "y");
        Check.That(g.KernelH > 0 && g.KernelW > 0 && g.StrideH > 0 && g.StrideW > 0 && g.PadH >= 0 && g.PadW >= 0, $"bad pool geometry {g}");
        Check.That(g.PadH * 2 <= g.KernelH && g.PadW * 2 <= g.KernelW, $"pool padding must be at most half the kernel: {g}");
        Check.That(y.N == x.N && y.C == x.C && y.H == g.OutH(x.H) && y.W == g.OutW(x.W),
            $"pool output {y} should be ({x.N},{x.C},{g.OutH(x.H)},{g.OutW(x.W)}) for input {x} and {g}");
    }

    internal static void MaxForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax, Dims dx, Dims dy, PoolGeometry g, int stride)
    {
        long total = dy.Length;
        for (long o = index; o < total; o += stride)
        {
            int q = (int)o % dy.W; // 32-bit: the host checked both lengths
            int p = ((int)o / dy.W) % dy.H;
            int plane = (int)o / (dy.W * dy.H);
            long baseX = (long)plane * dx.H * dx.W;
            float best = float.NegativeInfinity;
            long bestIndex = -1;
            for (int r = 0; r < g.KernelH; r++)
            {
                int h = (p * g.StrideH) - g.PadH + r;
                if (h < 0 || h >= dx.H)
                    continue;
                for (int s = 0; s < g.KernelW; s++)
                {
                    int w = (q * g.StrideW) - g.PadW + s;
                    if (w < 0 || w >= dx.W)
                        continue;
                    long i = baseX + ((long)h * dx.W) + w;
                    float v = x[i];
                    if (v > best || bestIndex < 0)
                    {
                        best = v;
                        bestIndex = i;
                    }
                }
            }

            y[o] = best;
            argmax[o] = (int)bestIndex;
        }
    }

    // thread per dx element i: Σ dy[o] over the windows o that contain i and chose it, in (p, q) order
    internal static void MaxBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx, Dims sdy, Dims sdx, PoolGeometry g, int accumulate, int stride)
    {
        long total = sdx.Length;
        for (long i = index; i < total; i += stride)
        {
            var over = PoolWindowsOver.Element((int)i, sdx, sdy, g); // 32-bit: the host checked both lengths
            float sum = 0f;
            for (int p = over.P0; p <= over.P1; p++)
            {
                for (int q = over.Q0; q <= over.Q1; q++)
                {
                    long o = over.BaseY + ((long)p * sdy.W) + q;
                    if (argmax[o] == (int)i)
                        sum += dy[o];
                }
            }

            dx[i] = accumulate != 0 ? dx[i] + sum : sum;
        }
    }

    internal static void AvgForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, Dims dx, Dims dy, PoolGeometry g, int stride)
    {
        long total = dy.Length;
        float inv = 1f / (g.KernelH * g.KernelW);
        for (long o = index; o < total; o += stride)
        {
            int q = (int)o % dy.W; // 32-bit: the host checked both lengths
            int p = ((int)o / dy.W) % dy.H;
            long baseX = (long)((int)o / (dy.W * dy.H)) * dx.H * dx.W;
            float sum = 0f;
            for (int r = 0; r < g.KernelH; r++)
            {
                int h = (p * g.StrideH) - g.PadH + r;
                if (h < 0 || h >= dx.H)
                    continue;
                for (int s = 0; s < g.KernelW; s++)
                {
                    int w = (q * g.StrideW) - g.PadW + s;
                    if (w >= 0 && w < dx.W)
                        sum += x[baseX + ((long)h * dx.W) + w];
                }
            }

            y[o] = sum * inv;
        }
    }

    internal static void AvgBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> dx, Dims sdy, Dims sdx, PoolGeometry g, int accumulate, int stride)
    {
        long total = sdx.Length;
        float inv = 1f / (g.KernelH * g.KernelW);
        for (long i = index; i < total; i += stride)
        {
            var over = PoolWindowsOver.Element((int)i, sdx, sdy, g); // 32-bit: the host checked both lengths
            float sum = 0f;
            for (int p = over.P0; p <= over.P1; p++)
            {
                for (int q = over.Q0; q <= over.Q1; q++)
                    sum += dy[over.BaseY + ((long)p * sdy.W) + q];
            }

            float gsum = sum * inv;
            dx[i] = accumulate != 0 ? dx[i] + gsum : gsum;
        }
    }

    internal static void GlobalAvgForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, long planes, int spatial, int stride)
    {
        for (long c = index; c < planes; c += stride)
        {
            float sum = 0f;
            long b = c * spatial;
            for (int s = 0; s < spatial; s++)
                sum += x[b + s];
            y[c] = sum / spatial;
        }
    }

    internal static void GlobalAvgBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> dx, long n, int spatial, int accumulate, int stride)
    {
        for (long i = index; i < n; i += stride)
        {
            float g = dy[(int)i / spatial] / spatial; // 32-bit: the host checked dx's length
            dx[i] = accumulate != 0 ? dx[i] + g : g;
        }
    }
}
