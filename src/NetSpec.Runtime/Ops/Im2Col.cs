using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Unfolds images into columns for the conv GEMM, and folds column gradients back.
/// col (N, C·R·S, P·Q): image n's row (c, r, s), column (p, q) holds x[n, c, p·sh − ph + r·dh, q·sw − pw + s·dw] or 0;
/// channel group g's rows are the g-th block of (C/g)·R·S.
/// These launch the kernels (GPUs), one launch for a whole batch; the CPU's host code calls UnfoldHost/FoldHost
/// (Im2Col.Host.cs) directly.
/// </summary>
internal static unsafe partial class Im2Col
{
    // x (N, C, H, W) → col (N, C·R·S, P·Q)
    public static void Unfold(Device d, ArrayView<float> x, ArrayView<float> col, Dims sx, int p, int q, ConvGeometry g)
    {
        long n = ColumnLength(sx, p, q, g);
        Check.Length(x, sx.Length, "im2col x");
        Check.Length(col, n, "im2col columns");
        int threads = d.GridStrideThreads(n);
        d.Kernel("im2col", UnfoldKernel)(
            threads, x, col, sx, new Dims(sx.N, 1, p, q), g, threads);
    }

    // x (+)= fold(col): each x element gathers the column entries that read it (no atomics)
    public static void Fold(Device d, ArrayView<float> col, ArrayView<float> x, Dims sx, int p, int q, ConvGeometry g, bool accumulate)
    {
        Check.Length(col, ColumnLength(sx, p, q, g), "col2im columns");
        Check.Length(x, sx.Length, "col2im x");
        int threads = d.GridStrideThreads(sx.Length);
        d.Kernel("col2im", FoldKernel)(
            threads, col, x, sx, p, q, g, accumulate ? 1 : 0, threads);
    }

    // the kernels index in 32 bits (64-bit division is slow on GPUs): the columns and x must stay below 2^31
    private static long ColumnLength(Dims sx, int p, int q, ConvGeometry g)
    {
        long n = (long)sx.N * sx.C * g.KernelH * g.KernelW * p * q;
        Check.That(n < int.MaxValue && sx.Length < int.MaxValue, $"columns of {sx.N} images ({n} floats) or their input exceed 2^31 elements");
        return n;
    }

    internal static void UnfoldKernel(Index1D index, ArrayView<float> x, ArrayView<float> col, Dims sx, Dims sc, ConvGeometry g, int stride)
    {
        int p = sc.H;
        int q = sc.W;
        int rows = sx.C * g.KernelH * g.KernelW;
        int total = sx.N * rows * p * q;
        for (int i = index; i < total; i += stride)
        {
            int oq = i % q;
            int r1 = i / q;
            int op = r1 % p;
            int r2 = r1 / p;
            int row = r2 % rows;
            int image = r2 / rows;
            int s = row % g.KernelW;
            int r = (row / g.KernelW) % g.KernelH;
            int c = row / (g.KernelW * g.KernelH);
            int h = (op * g.StrideH) - g.PadH + (r * g.DilationH);
            int w = (oq * g.StrideW) - g.PadW + (s * g.DilationW);
            col[i] = h >= 0 && h < sx.H && w >= 0 && w < sx.W ? x[(((((image * sx.C) + c) * sx.H) + h) * sx.W) + w] : 0f;
        }
    }

    internal static void FoldKernel(Index1D index, ArrayView<float> col, ArrayView<float> x, Dims sx, int p, int q, ConvGeometry g, int accumulate, int stride)
    {
        int total = sx.N * sx.C * sx.H * sx.W;
        int imageCol = sx.C * g.KernelH * g.KernelW * p * q;
        for (int i = index; i < total; i += stride)
        {
            int w = i % sx.W;
            int h = (i / sx.W) % sx.H;
            int plane = i / (sx.W * sx.H);
            int c = plane % sx.C;
            int image = plane / sx.C;
            int col0 = image * imageCol;
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
                    sum += col[col0 + (row * p * q) + (op * q) + (wp / g.StrideW)];
                }
            }

            x[i] = accumulate != 0 ? x[i] + sum : sum;
        }
    }
}
