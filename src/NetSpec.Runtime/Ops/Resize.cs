using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Bilinear and nearest resizing to y's size with PyTorch's semantics (upsample_bilinear2d given an output
/// size; nearest = floor(dst·in/out)). Backward: host code (Resize.Host.cs) scatters in a fixed order; the kernels gather, one thread
/// per dx element summing its contributing outputs in the same order (no atomics: the same bits every run).
/// </summary>
public static partial class Resize
{
    // x (N,C,h,w) → y (N,C,H,W)
    public static void BilinearForward(Device d, Tensor x, Tensor y, bool alignCorners)
    {
        CheckPlanes(x, y);
        if (XAndY.HostPath(d, x, y, backward: false, out int threads))
            BilinearForwardHost(x, y, alignCorners ? 1 : 0);
        else
            d.Kernel("bilinear.fwd", BilinearForwardKernel)(threads, x.View, y.View, Dims.Of(x), Dims.Of(y), alignCorners ? 1 : 0, threads);
    }

    public static void BilinearBackward(Device d, Tensor dy, Tensor dx, bool alignCorners, bool accumulate)
    {
        CheckPlanes(dx, dy);
        if (XAndY.HostPath(d, dx, dy, backward: true, out int threads))
            BilinearBackwardHost(dy, dx, alignCorners ? 1 : 0, accumulate);
        else
            d.Kernel("bilinear.bwd", BilinearBackwardKernel)(threads, dy.View, dx.View, Dims.Of(dy), Dims.Of(dx), alignCorners ? 1 : 0, accumulate ? 1 : 0, threads);
    }

    public static void NearestForward(Device d, Tensor x, Tensor y)
    {
        CheckPlanes(x, y);
        if (XAndY.HostPath(d, x, y, backward: false, out int threads))
            NearestForwardHost(x, y);
        else
            d.Kernel("nearest.fwd", NearestForwardKernel)(threads, x.View, y.View, Dims.Of(x), Dims.Of(y), threads);
    }

    public static void NearestBackward(Device d, Tensor dy, Tensor dx, bool accumulate)
    {
        CheckPlanes(dx, dy);
        if (XAndY.HostPath(d, dx, dy, backward: true, out int threads))
            NearestBackwardHost(dy, dx, accumulate);
        else
            d.Kernel("nearest.bwd", NearestBackwardKernel)(threads, dy.View, dx.View, Dims.Of(dy), Dims.Of(dx), accumulate ? 1 : 0, threads);
    }

    private static void CheckPlanes(Tensor x, Tensor y)
    {
        Check.Valid(x, "x");
        Check.Valid(y, "y");
        Check.That(x.N == y.N && x.C == y.C, $"resize keeps N and C: x {x}, y {y}");
    }

    /// <summary>Source coordinate of output index dst (PyTorch area_pixel_compute_source_index).</summary>
    internal static float SourceIndex(int dst, int inSize, int outSize, int alignCorners)
    {
        if (alignCorners != 0)
            return outSize > 1 ? dst * ((float)(inSize - 1) / (outSize - 1)) : 0f;
        float src = ((dst + 0.5f) * ((float)inSize / outSize)) - 0.5f;
        return src < 0f ? 0f : src;
    }

    internal static int NearestIndex(int dst, int inSize, int outSize)
    {
        int src = (int)(dst * ((float)inSize / outSize));
        return src < inSize - 1 ? src : inSize - 1;
    }

    /// <summary>The first output index whose source index (truncated) is at least <paramref name="target"/>
    /// (<paramref name="outSize"/> when none): a binary search, the truncated source index never falling as dst grows.</summary>
    internal static int FirstBilinear(int target, int inSize, int outSize, int alignCorners)
    {
        int lo = 0, hi = outSize;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if ((int)SourceIndex(mid, inSize, outSize, alignCorners) < target)
                lo = mid + 1;
            else
                hi = mid;
        }

        return lo;
    }

    /// <summary>The first output index whose nearest source index is at least <paramref name="target"/> (<paramref name="outSize"/> when none).</summary>
    internal static int FirstNearest(int target, int inSize, int outSize)
    {
        int lo = 0, hi = outSize;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (NearestIndex(mid, inSize, outSize) < target)
                lo = mid + 1;
            else
                hi = mid;
        }

        return lo;
    }

    internal static void BilinearForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, Dims sx, Dims sy, int alignCorners, int stride)
    {
        long total = sy.Length;
        for (long o = index; o < total; o += stride)
        {
            int ow = (int)o % sy.W; // 32-bit: the host checked both lengths
            int oh = ((int)o / sy.W) % sy.H;
            long plane = (long)((int)o / (sy.W * sy.H)) * sx.H * sx.W;
            float hs = SourceIndex(oh, sx.H, sy.H, alignCorners);
            float ws = SourceIndex(ow, sx.W, sy.W, alignCorners);
            int h0 = (int)hs;
            int w0 = (int)ws;
            int h1 = h0 < sx.H - 1 ? h0 + 1 : h0;
            int w1 = w0 < sx.W - 1 ? w0 + 1 : w0;
            float lh = hs - h0;
            float lw = ws - w0;
            float top = ((1f - lw) * x[plane + ((long)h0 * sx.W) + w0]) + (lw * x[plane + ((long)h0 * sx.W) + w1]);
            float bottom = ((1f - lw) * x[plane + ((long)h1 * sx.W) + w0]) + (lw * x[plane + ((long)h1 * sx.W) + w1]);
            y[o] = ((1f - lh) * top) + (lh * bottom);
        }
    }

    // thread per dx element (ih, iw): Σ over the output columns ow that read column iw (in order) of their weight times
    // Σ over the output rows oh that read row ih (in order) of theirs times dy[oh, ow]; the order of the host code's
    // separable scatter, and no atomics
    internal static void BilinearBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> dx, Dims sy, Dims sx, int alignCorners, int accumulate, int stride)
    {
        long total = sx.Length;
        for (long i = index; i < total; i += stride)
        {
            int iw = (int)i % sx.W; // 32-bit: the host checked both lengths
            int ih = ((int)i / sx.W) % sx.H;
            long plane = (long)((int)i / (sx.W * sx.H)) * sy.H * sy.W;
            int firstRow = FirstBilinear(ih - 1, sx.H, sy.H, alignCorners); // rows read by output rows with h0 ∈ {ih − 1, ih}
            float sum = accumulate != 0 ? dx[i] : 0f;
            for (int ow = FirstBilinear(iw - 1, sx.W, sy.W, alignCorners); ow < sy.W; ow++)
            {
                float ws = SourceIndex(ow, sx.W, sy.W, alignCorners);
                int w0 = (int)ws;
                if (w0 > iw)
                    break;
                int w1 = w0 < sx.W - 1 ? w0 + 1 : w0;
                if (w0 != iw && w1 != iw)
                    continue;
                float column = 0f;
                for (int oh = firstRow; oh < sy.H; oh++)
                {
                    float hs = SourceIndex(oh, sx.H, sy.H, alignCorners);
                    int h0 = (int)hs;
                    if (h0 > ih)
                        break;
                    int h1 = h0 < sx.H - 1 ? h0 + 1 : h0;
                    float lh = hs - h0;
                    float g = dy[plane + ((long)oh * sy.W) + ow];
                    if (h0 == ih)
                        column += (1f - lh) * g;
                    if (h1 == ih)
                        column += lh * g;
                }

                float lw = ws - w0;
                if (w0 == iw)
                    sum += (1f - lw) * column;
                if (w1 == iw)
                    sum += lw * column;
            }

            dx[i] = sum;
        }
    }

    internal static void NearestForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, Dims sx, Dims sy, int stride)
    {
        long total = sy.Length;
        for (long o = index; o < total; o += stride)
        {
            int ow = (int)o % sy.W; // 32-bit: the host checked both lengths
            int oh = ((int)o / sy.W) % sy.H;
            long plane = (long)((int)o / (sy.W * sy.H)) * sx.H * sx.W;
            y[o] = x[plane + ((long)NearestIndex(oh, sx.H, sy.H) * sx.W) + NearestIndex(ow, sx.W, sy.W)];
        }
    }

    // thread per dx element (ih, iw): Σ dy over the outputs whose nearest source it is, in row-major order (no atomics)
    internal static void NearestBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> dx, Dims sy, Dims sx, int accumulate, int stride)
    {
        long total = sx.Length;
        for (long i = index; i < total; i += stride)
        {
            int iw = (int)i % sx.W; // 32-bit: the host checked both lengths
            int ih = ((int)i / sx.W) % sx.H;
            long plane = (long)((int)i / (sx.W * sx.H)) * sy.H * sy.W;
            int firstColumn = FirstNearest(iw, sx.W, sy.W);
            float sum = accumulate != 0 ? dx[i] : 0f;
            for (int oh = FirstNearest(ih, sx.H, sy.H); oh < sy.H && NearestIndex(oh, sx.H, sy.H) == ih; oh++)
            {
                for (int ow = firstColumn; ow < sy.W && NearestIndex(ow, sx.W, sy.W) == iw; ow++)
                    sum += dy[plane + ((long)oh * sy.W) + ow];
            }

            dx[i] = sum;
        }
    }
}
