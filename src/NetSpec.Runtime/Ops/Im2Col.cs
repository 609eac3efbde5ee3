using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Unfolds one image's channel group into columns for the conv GEMM, and folds column gradients back.
/// col ((C/g)·R·S, P·Q): row (c, r, s), column (p, q) holds x[c, p·sh − ph + r·dh, q·sw − pw + s·dw] or 0.
/// These launch the kernels (GPUs); the CPU's host code calls UnfoldHost/FoldHost (Im2Col.Host.cs) directly.
/// </summary>
internal static unsafe partial class Im2Col
{
    // x: one image's group (channels, H, W); col (channels·R·S, P·Q)
    public static void Unfold(Device d, ArrayView<float> x, ArrayView<float> col, int channels, int h, int w, int p, int q, ConvGeometry g)
    {
        long rows = (long)channels * g.KernelH * g.KernelW;
        Check.That(rows * p * q < int.MaxValue && (long)channels * h * w < int.MaxValue, $"one image's columns ({rows}×{p * q}) exceed 2^31 elements");
        long n = rows * p * q;
        int threads = d.GridStrideThreads(n);
        d.Kernel("im2col", UnfoldKernel)(
            threads, x, col, new Dims(1, channels, h, w), new Dims(1, 1, p, q), g, threads);
    }

    // x (+)= fold(col): each x element gathers the column entries that read it
    public static void Fold(Device d, ArrayView<float> col, ArrayView<float> x, int channels, int h, int w, int p, int q, ConvGeometry g, bool accumulate)
    {
        Check.That((long)channels * g.KernelH * g.KernelW * p * q < int.MaxValue, $"one image's columns exceed 2^31 elements");
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
}
