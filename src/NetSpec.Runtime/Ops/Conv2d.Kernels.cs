using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Convolution as kernels (GPUs) with launches that do not depend on the batch: per chunk of images one im2col,
/// per group one strided-batched GEMM over the chunk's images, one col2im for dx, and for dW one deterministic
/// sum of the images' products (fixed order, no atomics). A chunk takes as many images as keep its workspace
/// within <see cref="Device.KernelColumnLimitFloats"/>: all of them for sanet-r50 at batch 8, 480×480
/// (docs/design/gpu-path.md). A 1×1 stride-1 conv is a GEMM on x as it lies (no columns).
/// </summary>
public static partial class Conv2d
{
    // y[n, group] (K/g, PQ) = W_g (K/g, (C/g)RS) · col[n, group] ((C/g)RS, PQ)
    private static void ForwardKernels(Device d, Tensor x, ArrayView<float> w, Tensor y, ConvGeometry g, Shapes s)
    {
        if (g.IsPointwise)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                d.Gemm.GemmStridedBatched(false, false, s.Kg, s.PQ, s.Cg, 1f, WeightsOf(w, s, grp), s.Cg, 0,
                    From(x.View, s.XOffset(0, grp)), s.PQ, ImageLength(x), 0f, From(y.View, s.YOffset(0, grp)), s.PQ, ImageLength(y), x.N);
            }

            return;
        }

        int images = ImagesPerChunk(d, s, s.ImageColLength);
        ArrayView<float> col = d.Workspace(images * s.ImageColLength);
        for (int n0 = 0; n0 < x.N; n0 += images)
        {
            int nb = Math.Min(images, x.N - n0);
            Im2Col.Unfold(d, From(x.View, s.XOffset(n0, 0)), col, new Dims(nb, x.C, x.H, x.W), y.H, y.W, g);
            for (int grp = 0; grp < g.Groups; grp++)
            {
                d.Gemm.GemmStridedBatched(false, false, s.Kg, s.PQ, s.Crs, 1f, WeightsOf(w, s, grp), s.Crs, 0,
                    From(col, (long)grp * s.Crs * s.PQ), s.PQ, s.ImageColLength, 0f, From(y.View, s.YOffset(n0, grp)), s.PQ, ImageLength(y), nb);
            }
        }
    }

    // dcol[n, group] ((C/g)RS, PQ) = W_gᵀ · dy[n, group] (K/g, PQ); dx (+)= fold(dcol)
    private static void BackwardInputKernels(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, Shapes s, bool accumulate)
    {
        if (g.IsPointwise)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                d.Gemm.GemmStridedBatched(true, false, s.Cg, s.PQ, s.Kg, 1f, WeightsOf(w, s, grp), s.Cg, 0,
                    From(dy.View, s.YOffset(0, grp)), s.PQ, ImageLength(dy), accumulate ? 1f : 0f, From(dx.View, s.XOffset(0, grp)), s.PQ, ImageLength(dx), dx.N);
            }

            return;
        }

        int images = ImagesPerChunk(d, s, s.ImageColLength);
        ArrayView<float> col = d.Workspace(images * s.ImageColLength);
        for (int n0 = 0; n0 < dx.N; n0 += images)
        {
            int nb = Math.Min(images, dx.N - n0);
            for (int grp = 0; grp < g.Groups; grp++)
            {
                d.Gemm.GemmStridedBatched(true, false, s.Crs, s.PQ, s.Kg, 1f, WeightsOf(w, s, grp), s.Crs, 0,
                    From(dy.View, s.YOffset(n0, grp)), s.PQ, ImageLength(dy), 0f, From(col, (long)grp * s.Crs * s.PQ), s.PQ, s.ImageColLength, nb);
            }

            Im2Col.Fold(d, col, From(dx.View, s.XOffset(n0, 0)), new Dims(nb, dx.C, dx.H, dx.W), dy.H, dy.W, g, accumulate);
        }
    }

    // part[n] (K, (C/g)RS) = dy[n, group] (K/g, PQ) · col[n, group]ᵀ (PQ, (C/g)RS) per group; dW = Σ_n part[n] in order of n
    private static void BackwardWeightsKernels(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ConvGeometry g, Shapes s)
    {
        long colLength = g.IsPointwise ? 0 : s.ImageColLength;
        int images = ImagesPerChunk(d, s, colLength + s.WeightLength);
        ArrayView<float> workspace = d.Workspace(images * (colLength + s.WeightLength));
        ArrayView<float> col = g.IsPointwise ? default : workspace.SubView(0, images * colLength);
        ArrayView<float> parts = workspace.SubView(images * colLength, images * s.WeightLength);
        for (int n0 = 0; n0 < x.N; n0 += images)
        {
            int nb = Math.Min(images, x.N - n0);
            if (!g.IsPointwise)
                Im2Col.Unfold(d, From(x.View, s.XOffset(n0, 0)), col, new Dims(nb, x.C, x.H, x.W), dy.H, dy.W, g);
            for (int grp = 0; grp < g.Groups; grp++)
            {
                // the columns of a pointwise conv are x itself
                ArrayView<float> colg = g.IsPointwise ? From(x.View, s.XOffset(n0, grp)) : From(col, (long)grp * s.Crs * s.PQ);
                long colStride = g.IsPointwise ? ImageLength(x) : s.ImageColLength;
                d.Gemm.GemmStridedBatched(false, true, s.Kg, s.Crs, s.PQ, 1f, From(dy.View, s.YOffset(n0, grp)), s.PQ, ImageLength(dy),
                    colg, s.PQ, colStride, 0f, From(parts, (long)grp * s.WeightGroupLength), s.Crs, s.WeightLength, nb);
            }

            SumImages(d, parts, dw, (int)s.WeightLength, nb, accumulate: n0 > 0);
        }
    }

    // dw (+)= Σ_i parts[i] over the chunk's images, in order of i: the same sum on every run
    private static void SumImages(Device d, ArrayView<float> parts, ArrayView<float> dw, int length, int images, bool accumulate)
    {
        int threads = d.GridStrideThreads(length);
        d.Kernel("conv.dw.sum", SumImagesKernel)(threads, parts, dw, length, images, accumulate ? 1 : 0, threads);
    }

    internal static void SumImagesKernel(Index1D index, ArrayView<float> parts, ArrayView<float> dw, int length, int images, int accumulate, int stride)
    {
        for (int j = index; j < length; j += stride)
        {
            float sum = accumulate != 0 ? dw[j] : 0f;
            for (int i = 0; i < images; i++)
                sum += parts[(i * length) + j];
            dw[j] = sum;
        }
    }

    /// <summary>
    /// Images per chunk: as many as keep the chunk's workspace (<paramref name="perImage"/> floats an image) within the
    /// device's limit, at least one; a chunk's columns and input stay below 2^31 floats (the kernels index in 32 bits).
    /// </summary>
    private static int ImagesPerChunk(Device d, Shapes s, long perImage)
    {
        long xImage = ImageLength(s.X);
        Check.That(perImage < int.MaxValue && xImage < int.MaxValue, $"one image's conv workspace ({perImage} floats) or input ({xImage}) exceeds 2^31 floats");
        long limit = Math.Min(d.KernelColumnLimitFloats, int.MaxValue - 1);
        long fit = Math.Min(limit / Math.Max(1, perImage), (int.MaxValue - 1) / xImage);
        return (int)Math.Clamp(fit, 1, s.X.N);
    }

    private static long ImageLength(Tensor t) => (long)t.C * t.Spatial;

    private static ArrayView<float> WeightsOf(ArrayView<float> w, Shapes s, int grp) => w.SubView((long)grp * s.WeightGroupLength, s.WeightGroupLength);

    private static ArrayView<float> From(ArrayView<float> view, long offset) => view.SubView(offset, view.Length - offset);
}
