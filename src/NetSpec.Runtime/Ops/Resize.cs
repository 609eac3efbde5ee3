using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Bilinear and nearest resizing to y's size with PyTorch's semantics (upsample_bilinear2d given an output
/// size; nearest = floor(dst·in/out)). Backward scatters with atomic adds into dx (zeroed first unless accumulating); host code in Resize.Host.cs.
/// </summary>
public static partial class Resize
{
    // x (N,C,h,w) → y (N,C,H,W)
    public static void BilinearForward(Device d, Tensor x, Tensor y, bool alignCorners)
    {
        CheckPlanes(x, y);
        if (d.HostCode)
        {
            d.Synchronize();
            BilinearForwardHost(x, y, alignCorners ? 1 : 0);
            return;
        }

        int threads = d.GridStrideThreads(y.Length);
        d.Kernel("bilinear.fwd", BilinearForwardKernel)(
            threads, x.View, y.View, Dims.Of(x), Dims.Of(y), alignCorners ? 1 : 0, threads);
    }

    public static void BilinearBackward(Device d, Tensor dy, Tensor dx, bool alignCorners, bool accumulate)
    {
        CheckPlanes(dx, dy);
        if (d.HostCode)
        {
            d.Synchronize();
            BilinearBackwardHost(dy, dx, alignCorners ? 1 : 0, accumulate);
            return;
        }

        if (!accumulate)
            Elementwise.Fill(d, dx.View.SubView(0, dx.Length), 0f);
        int threads = d.GridStrideThreads(dy.Length);
        d.Kernel("bilinear.bwd", BilinearBackwardKernel)(
            threads, dy.View, dx.View, Dims.Of(dy), Dims.Of(dx), alignCorners ? 1 : 0, threads);
    }

    public static void NearestForward(Device d, Tensor x, Tensor y)
    {
        CheckPlanes(x, y);
        if (d.HostCode)
        {
            d.Synchronize();
            NearestForwardHost(x, y);
            return;
        }

        int threads = d.GridStrideThreads(y.Length);
        d.Kernel("nearest.fwd", NearestForwardKernel)(
            threads, x.View, y.View, Dims.Of(x), Dims.Of(y), threads);
    }

    public static void NearestBackward(Device d, Tensor dy, Tensor dx, bool accumulate)
    {
        CheckPlanes(dx, dy);
        if (d.HostCode)
        {
            d.Synchronize();
            NearestBackwardHost(dy, dx, accumulate);
            return;
        }

        if (!accumulate)
            Elementwise.Fill(d, dx.View.SubView(0, dx.Length), 0f);
        int threads = d.GridStrideThreads(dy.Length);
        d.Kernel("nearest.bwd", NearestBackwardKernel)(
            threads, dy.View, dx.View, Dims.Of(dy), Dims.Of(dx), threads);
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

    internal static void BilinearForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, Dims sx, Dims sy, int alignCorners, int stride)
    {
        long total = sy.Length;
        for (long o = index; o < total; o += stride)
        {
            int ow = (int)(o % sy.W);
            int oh = (int)((o / sy.W) % sy.H);
            long plane = (o / ((long)sy.W * sy.H)) * sx.H * sx.W;
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

    internal static void BilinearBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> dx, Dims sy, Dims sx, int alignCorners, int stride)
    {
        long total = sy.Length;
        for (long o = index; o < total; o += stride)
        {
            int ow = (int)(o % sy.W);
            int oh = (int)((o / sy.W) % sy.H);
            long plane = (o / ((long)sy.W * sy.H)) * sx.H * sx.W;
            float hs = SourceIndex(oh, sx.H, sy.H, alignCorners);
            float ws = SourceIndex(ow, sx.W, sy.W, alignCorners);
            int h0 = (int)hs;
            int w0 = (int)ws;
            int h1 = h0 < sx.H - 1 ? h0 + 1 : h0;
            int w1 = w0 < sx.W - 1 ? w0 + 1 : w0;
            float lh = hs - h0;
            float lw = ws - w0;
            float g = dy[o];
            Atomic.Add(ref dx[plane + ((long)h0 * sx.W) + w0], (1f - lh) * (1f - lw) * g);
            Atomic.Add(ref dx[plane + ((long)h0 * sx.W) + w1], (1f - lh) * lw * g);
            Atomic.Add(ref dx[plane + ((long)h1 * sx.W) + w0], lh * (1f - lw) * g);
            Atomic.Add(ref dx[plane + ((long)h1 * sx.W) + w1], lh * lw * g);
        }
    }

    internal static void NearestForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, Dims sx, Dims sy, int stride)
    {
        long total = sy.Length;
        for (long o = index; o < total; o += stride)
        {
            int ow = (int)(o % sy.W);
            int oh = (int)((o / sy.W) % sy.H);
            long plane = (o / ((long)sy.W * sy.H)) * sx.H * sx.W;
            y[o] = x[plane + ((long)NearestIndex(oh, sx.H, sy.H) * sx.W) + NearestIndex(ow, sx.W, sy.W)];
        }
    }

    internal static void NearestBackwardKernel(Index1D index, ArrayView<float> dy, ArrayView<float> dx, Dims sy, Dims sx, int stride)
    {
        long total = sy.Length;
        for (long o = index; o < total; o += stride)
        {
            int ow = (int)(o % sy.W);
            int oh = (int)((o / sy.W) % sy.H);
            long plane = (o / ((long)sy.W * sy.H)) * sx.H * sx.W;
            Atomic.Add(ref dx[plane + ((long)NearestIndex(oh, sx.H, sy.H) * sx.W) + NearestIndex(ow, sx.W, sy.W)], dy[o]);
        }
    }
}
