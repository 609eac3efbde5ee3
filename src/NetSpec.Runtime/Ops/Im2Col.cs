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
        if (g.StrideH == 1 && g.StrideW == 1)
            d.Kernel("col2im.s1", FoldUnitStrideKernel)(threads, col, x, sx, p, q, g, accumulate ? 1 : 0, threads);
        else
            d.Kernel("col2im", FoldKernel)(threads, col, x, sx, p, q, g, accumulate ? 1 : 0, threads);
    }

    // the kernels index in 32 bits (64-bit division is slow on GPUs): the columns and x must stay below 2^31
    private static long ColumnLength(Dims sx, int p, int q, ConvGeometry g)
    {
        long n = (long)sx.N * sx.C * g.KernelH * g.KernelW * p * q;
        Check.That(n < int.MaxValue && sx.Length < int.MaxValue, $"columns of {sx.N} images ({n} floats) or their input exceed 2^31 elements");
        return n;
    }

    /// <summary>
    /// col[i] for i = ((((image·C + c)·R + r)·S + s)·P + p)·Q + q, a grid-stride loop. A thread splits its first index
    /// and the stride into those six digits once (the only divisions); each step then adds the stride's digits with
    /// carries, a compare and a subtract a digit, instead of six divisions an element (docs/design/gpu-path.md).
    /// </summary>
    internal static void UnfoldKernel(Index1D index, ArrayView<float> x, ArrayView<float> col, Dims sx, Dims sc, ConvGeometry g, int stride)
    {
        int p = sc.H;
        int q = sc.W;
        int total = sx.N * sx.C * g.KernelH * g.KernelW * p * q;
        if (index >= total)
            return;
        ColumnDigits at = ColumnDigits.Of(index, p, q, sx.C, g);
        ColumnDigits step = ColumnDigits.Of(stride, p, q, sx.C, g);
        for (int i = index; i < total; i = i < total - stride ? i + stride : total)
        {
            int h = (at.Op * g.StrideH) - g.PadH + (at.R * g.DilationH);
            int w = (at.Oq * g.StrideW) - g.PadW + (at.S * g.DilationW);
            col[i] = h >= 0 && h < sx.H && w >= 0 && w < sx.W ? x[(((((at.Image * sx.C) + at.C) * sx.H) + h) * sx.W) + w] : 0f;
            at = at.Add(step, p, q, sx.C, g);
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

    /// <summary>
    /// col2im for stride 1: x element (image, c, h, w) gathers col at row (c, r, s), column (h + pad − r·dil, w + pad −
    /// s·dil) where that lies inside (P, Q). No division: a thread splits its first index and the stride into (image, c,
    /// h, w) once and steps by adding digits with carries, as <see cref="UnfoldKernel"/> does.
    /// </summary>
    internal static void FoldUnitStrideKernel(Index1D index, ArrayView<float> col, ArrayView<float> x, Dims sx, int p, int q, ConvGeometry g, int accumulate, int stride)
    {
        int total = sx.N * sx.C * sx.H * sx.W;
        if (index >= total)
            return;
        int plane = p * q;
        int rowsPerChannel = g.KernelH * g.KernelW;
        int w = index % sx.W, h = (index / sx.W) % sx.H, c = (index / (sx.W * sx.H)) % sx.C, image = index / (sx.W * sx.H * sx.C);
        int dw = stride % sx.W, dh = (stride / sx.W) % sx.H, dc = (stride / (sx.W * sx.H)) % sx.C, dn = stride / (sx.W * sx.H * sx.C);
        for (int i = index; i < total; i = i < total - stride ? i + stride : total)
        {
            int rows0 = ((image * sx.C) + c) * rowsPerChannel; // the image's rows of channel c, counted from col's start
            float sum = 0f;
            for (int r = 0; r < g.KernelH; r++)
            {
                int op = h + g.PadH - (r * g.DilationH);
                if (op < 0 || op >= p)
                    continue;
                for (int s = 0; s < g.KernelW; s++)
                {
                    int oq = w + g.PadW - (s * g.DilationW);
                    if (oq >= 0 && oq < q)
                        sum += col[((rows0 + (r * g.KernelW) + s) * plane) + (op * q) + oq];
                }
            }

            x[i] = accumulate != 0 ? x[i] + sum : sum;
            w += dw;
            int carry = w >= sx.W ? 1 : 0;
            w -= carry * sx.W;
            h += dh + carry;
            carry = h >= sx.H ? 1 : 0;
            h -= carry * sx.H;
            c += dc + carry;
            carry = c >= sx.C ? 1 : 0;
            c -= carry * sx.C;
            image += dn + carry;
        }
    }
}
