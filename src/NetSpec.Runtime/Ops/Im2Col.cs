using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Unfolds one image's channel group into columns for the conv GEMM, and folds column gradients back.
/// col ((C/g)·R·S, P·Q): row (c, r, s), column (p, q) holds x[c, p·sh − ph + r·dh, q·sw − pw + s·dw] or 0.
/// With host code (the CPU) both run as vectorisable loops over channels; otherwise the kernels run.
/// </summary>
internal static class Im2Col
{
    // x: one image's group (channels, H, W); col (channels·R·S, P·Q)
    public static void Unfold(Device d, ArrayView<float> x, ArrayView<float> col, int channels, int h, int w, int p, int q, ConvGeometry g)
    {
        long rows = (long)channels * g.KernelH * g.KernelW;
        Check.That(rows * p * q < int.MaxValue && (long)channels * h * w < int.MaxValue, $"one image's columns ({rows}×{p * q}) exceed 2^31 elements");
        if (d.HostCode)
        {
            d.Synchronize();
            UnfoldHost(x, col, channels, h, w, p, q, g);
            return;
        }

        long n = rows * p * q;
        int threads = d.GridStrideThreads(n);
        d.Kernel("im2col", UnfoldKernel)(
            threads, x, col, new Dims(1, channels, h, w), new Dims(1, 1, p, q), g, threads);
    }

    // x (+)= fold(col): each x element gathers the column entries that read it
    public static void Fold(Device d, ArrayView<float> col, ArrayView<float> x, int channels, int h, int w, int p, int q, ConvGeometry g, bool accumulate)
    {
        Check.That((long)channels * g.KernelH * g.KernelW * p * q < int.MaxValue, $"one image's columns exceed 2^31 elements");
        if (d.HostCode)
        {
            d.Synchronize();
            FoldHost(col, x, channels, h, w, p, q, g, accumulate);
            return;
        }

        long n = (long)channels * h * w;
        int threads = d.GridStrideThreads(n);
        d.Kernel("col2im", FoldKernel)(
            threads, col, x, new Dims(1, channels, h, w), p, q, g, accumulate ? 1 : 0, threads);
    }

    // 32-bit index math (64-bit division is slow on GPUs); the launcher checks that one image's col fits
    internal static void UnfoldKernel(Index1D index, ArrayView<float> x, ArrayView<float> col, Dims sx, Dims sc, ConvGeometry g, int stride)
    {
        int p = sc.H;
        int q = sc.W;
        int total = sx.C * g.KernelH * g.KernelW * p * q;
        for (int i = index; i < total; i += stride)
        {
            int oq = i % q;
            int r1 = i / q;
            int op = r1 % p;
            int row = r1 / p;
            int s = row % g.KernelW;
            int r = (row / g.KernelW) % g.KernelH;
            int c = row / (g.KernelW * g.KernelH);
            int h = (op * g.StrideH) - g.PadH + (r * g.DilationH);
            int w = (oq * g.StrideW) - g.PadW + (s * g.DilationW);
            col[i] = h >= 0 && h < sx.H && w >= 0 && w < sx.W ? x[(((c * sx.H) + h) * sx.W) + w] : 0f;
        }
    }

    internal static void FoldKernel(Index1D index, ArrayView<float> col, ArrayView<float> x, Dims sx, int p, int q, ConvGeometry g, int accumulate, int stride)
    {
        int total = sx.C * sx.H * sx.W;
        for (int i = index; i < total; i += stride)
        {
            int w = i % sx.W;
            int h = (i / sx.W) % sx.H;
            int c = i / (sx.W * sx.H);
            float sum = 0f;
            for (int r = 0; r < g.KernelH; r++)
            {
                int hp = h + g.PadH - (r * g.DilationH);
                if (hp < 0 || hp % g.StrideH != 0 || hp / g.StrideH >= p)
                    continue;
                int op = hp / g.StrideH;
                for (int s = 0; s < g.KernelW; s++)
                {
                    int wp = w + g.PadW - (s * g.DilationW);
                    if (wp < 0 || wp % g.StrideW != 0 || wp / g.StrideW >= q)
                        continue;
                    int row = (((c * g.KernelH) + r) * g.KernelW) + s;
                    sum += col[(row * p * q) + (op * q) + (wp / g.StrideW)];
                }
            }

            x[i] = accumulate != 0 ? x[i] + sum : sum;
        }
    }

    private static unsafe void UnfoldHost(ArrayView<float> xv, ArrayView<float> colv, int channels, int h, int w, int p, int q, ConvGeometry g)
    {
        float* x = HostAccess.Pointer(xv);
        float* col = HostAccess.Pointer(colv);
        Parallel.For(0, channels * g.KernelH, cr =>
        {
            int c = cr / g.KernelH;
            int r = cr % g.KernelH;
            for (int s = 0; s < g.KernelW; s++)
            {
                float* dst = col + ((((long)cr * g.KernelW) + s) * p * q);
                for (int op = 0; op < p; op++)
                {
                    int ih = (op * g.StrideH) - g.PadH + (r * g.DilationH);
                    float* drow = dst + ((long)op * q);
                    if (ih < 0 || ih >= h)
                    {
                        new Span<float>(drow, q).Clear();
                        continue;
                    }

                    float* srow = x + ((((long)c * h) + ih) * w);
                    int off = (s * g.DilationW) - g.PadW;
                    if (g.StrideW == 1 && off >= 0 && off + q <= w)
                    {
                        new Span<float>(srow + off, q).CopyTo(new Span<float>(drow, q));
                        continue;
                    }

                    for (int oq = 0; oq < q; oq++)
                    {
                        int iw = (oq * g.StrideW) + off;
                        drow[oq] = iw >= 0 && iw < w ? srow[iw] : 0f;
                    }
                }
            }
        });
    }

    private static unsafe void FoldHost(ArrayView<float> colv, ArrayView<float> xv, int channels, int h, int w, int p, int q, ConvGeometry g, bool accumulate)
    {
        float* x = HostAccess.Pointer(xv);
        float* col = HostAccess.Pointer(colv);
        Parallel.For(0, channels, c =>
        {
            float* plane = x + ((long)c * h * w);
            if (!accumulate)
                new Span<float>(plane, h * w).Clear();
            for (int r = 0; r < g.KernelH; r++)
            {
                for (int s = 0; s < g.KernelW; s++)
                {
                    float* src = col + ((((((long)c * g.KernelH) + r) * g.KernelW) + s) * p * q);
                    for (int op = 0; op < p; op++)
                    {
                        int ih = (op * g.StrideH) - g.PadH + (r * g.DilationH);
                        if (ih < 0 || ih >= h)
                            continue;
                        float* drow = plane + ((long)ih * w);
                        float* srow = src + ((long)op * q);
                        int off = (s * g.DilationW) - g.PadW;
                        if (g.StrideW == 1 && off >= 0 && off + q <= w)
                        {
                            var dst = new Span<float>(drow + off, q);
                            System.Numerics.Tensors.TensorPrimitives.Add(dst, new ReadOnlySpan<float>(srow, q), dst);
                            continue;
                        }

                        for (int oq = 0; oq < q; oq++)
                        {
                            int iw = (oq * g.StrideW) + off;
                            if (iw >= 0 && iw < w)
                                drow[iw] += srow[oq];
                        }
                    }
                }
            }
        });
    }
}
