using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetSpec.Runtime.Ops;

/// <summary>im2col and col2im as host loops over raw CPU memory, on all cores or on the calling thread only.</summary>
internal static unsafe partial class Im2Col
{
    // col ((channels·R·S), rows·Q) ← x (channels, H, W) for the output rows [op0, op1); one task per (channel, kernel row)
    public static void UnfoldHost(float* x, float* col, int channels, int h, int w, int q, ConvGeometry g, int op0, int op1, bool parallel)
    {
        var rows = new OutputRows(h, w, q, op0, op1);
        if (parallel)
        {
            UnfoldParallel(x, col, channels, rows, g);
            return;
        }

        for (int cr = 0; cr < channels * g.KernelH; cr++)
            UnfoldRows(x, col, cr, rows, g);
    }

    // (a lambda in its own method: its closure is then made only when it is used)
    private static void UnfoldParallel(float* x, float* col, int channels, OutputRows rows, ConvGeometry g) =>
        HostParallel.For(channels * g.KernelH, cr => UnfoldRows(x, col, cr, rows, g));

    // x (channels, H, W) (+)= fold(col), col holding the output rows [op0, op1); one task per channel. col is
    // the caller's scratch: its entries that fall in the padding may be zeroed
    public static void FoldHost(float* col, float* x, int channels, int h, int w, int q, ConvGeometry g, int op0, int op1, bool accumulate, bool parallel)
    {
        var rows = new OutputRows(h, w, q, op0, op1);
        if (parallel)
        {
            FoldParallel(col, x, channels, rows, g, accumulate);
            return;
        }

        for (int c = 0; c < channels; c++)
            FoldChannel(col, x, c, rows, g, accumulate);
    }

    private static void FoldParallel(float* col, float* x, int channels, OutputRows rows, ConvGeometry g, bool accumulate) =>
        HostParallel.For(channels, c => FoldChannel(col, x, c, rows, g, accumulate));

    /// <summary>The input plane (H, W), and the output rows [Op0, Op1) of width Q that a column chunk holds.</summary>
    private readonly record struct OutputRows(int H, int W, int Q, int Op0, int Op1)
    {
        public long Length => (long)(Op1 - Op0) * Q;
    }

    // the R·S... rows of col for channel c, kernel row r (cr = c·R + r)
    private static void UnfoldRows(float* x, float* col, int cr, OutputRows rows, ConvGeometry g)
    {
        int c = cr / g.KernelH, r = cr % g.KernelH, h = rows.H, w = rows.W, q = rows.Q;
        for (int s = 0; s < g.KernelW; s++)
        {
            float* dst = col + ((((long)cr * g.KernelW) + s) * rows.Length); // output row op at dst + (op − op0)·q
            int off = (s * g.DilationW) - g.PadW;
            (int lo, int hi) = g.StrideW == 1 ? Inside(off, q, w) : (0, 0);
            if (g.StrideH == 1 && g.StrideW == 1 && q == w)
            {
                ShiftedPlane(x + ((long)c * h * w), dst, rows, (r * g.DilationH) - g.PadH, off, lo, hi);
                continue;
            }

            for (int op = rows.Op0; op < rows.Op1; op++)
            {
                int ih = (op * g.StrideH) - g.PadH + (r * g.DilationH);
                float* drow = dst + ((long)(op - rows.Op0) * q);
                if (ih < 0 || ih >= h)
                {
                    new Span<float>(drow, q).Clear();
                    continue;
                }

                float* srow = x + ((((long)c * h) + ih) * w);
                if (g.StrideW == 1)
                {
                    // columns [lo, hi) read x[ih, oq + off]; the rest fall in the padding
                    new Span<float>(drow, lo).Clear();
                    new ReadOnlySpan<float>(srow + lo + off, hi - lo).CopyTo(new Span<float>(drow + lo, hi - lo));
                    new Span<float>(drow + hi, q - hi).Clear();
                    continue;
                }

                int from = 0;
                if (g.StrideW == 2 && Avx512F.IsSupported)
                    from = EvenColumns(srow, drow, off, w, q);
                for (int oq = from; oq < q; oq++)
                {
                    int iw = (oq * g.StrideW) + off;
                    drow[oq] = iw >= 0 && iw < w ? srow[iw] : 0f;
                }
            }
        }
    }

    // stride 2: drow[oq] = srow[2·oq + off], the columns before the first inside one zero, then 16 at a time
    // (their 32 floats all inside the row); returns the first column left for the scalar loop
    private static int EvenColumns(float* srow, float* drow, int off, int w, int q)
    {
        int oq = Math.Min(q, Math.Max(0, XMathInt.CeilDiv(-off, 2)));
        for (int i = 0; i < oq; i++)
            drow[i] = 0f;
        for (; oq + 16 <= q && (2 * oq) + off + 31 < w; oq += 16)
            HostOps.LoadEvens(srow + (2 * oq) + off).Store(drow + oq);

        return oq;
    }

    // stride 1 and Q = W: output row op reads input row op + dh shifted by off, so all rows that fall inside the
    // input are one copy (dst and x differ by a constant offset); then the columns that copy brought in from
    // the neighbouring rows ([0, lo) and [hi, Q) of each row) and the rows outside the input are cleared.
    // One call a plane instead of three a row: the rows of sanet-r50's 30-wide layers are 120 bytes.
    private static void ShiftedPlane(float* plane, float* dst, OutputRows rows, int dh, int off, int lo, int hi)
    {
        int q = rows.Q;
        int first = Math.Clamp(-dh, rows.Op0, rows.Op1), end = Math.Clamp(rows.H - dh, first, rows.Op1); // rows [first, end) inside
        new Span<float>(dst, (first - rows.Op0) * q).Clear();
        new Span<float>(dst + ((long)(end - rows.Op0) * q), (rows.Op1 - end) * q).Clear();
        if (end == first)
            return;
        if (hi > lo)
        {
            long from = ((long)(first - rows.Op0) * q) + lo, to = ((long)(end - 1 - rows.Op0) * q) + hi;
            float* src = plane + ((long)(first + dh) * q) + lo + off;
            Buffer.MemoryCopy(src, dst + from, (to - from) * sizeof(float), (to - from) * sizeof(float));
        }

        ClearOutside(dst, rows, first, end, lo, hi);
    }

    // columns [0, lo) and [hi, Q) of the output rows [first, end) of a chunk (rows from op0, Q wide)
    private static void ClearOutside(float* chunk, OutputRows rows, int first, int end, int lo, int hi)
    {
        for (int op = first; op < end; op++)
        {
            float* row = chunk + ((long)(op - rows.Op0) * rows.Q);
            for (int i = 0; i < lo; i++) // a few columns (the padding's width): a loop, not a call
                row[i] = 0f;
            for (int i = hi; i < rows.Q; i++)
                row[i] = 0f;
        }
    }

    private static void FoldChannel(float* col, float* x, int c, OutputRows rows, ConvGeometry g, bool accumulate)
    {
        int h = rows.H, w = rows.W, q = rows.Q;
        float* plane = x + ((long)c * h * w);
        if (!accumulate)
            new Span<float>(plane, h * w).Clear();
        for (int r = 0; r < g.KernelH; r++)
        {
            for (int s = 0; s < g.KernelW; s++)
            {
                float* src = col + ((((((long)c * g.KernelH) + r) * g.KernelW) + s) * rows.Length);
                int off = (s * g.DilationW) - g.PadW;
                (int lo, int hi) = g.StrideW == 1 ? Inside(off, q, w) : (0, 0);
                if (g.StrideH == 1 && g.StrideW == 1 && q == w)
                {
                    AddShiftedPlane(src, plane, rows, (r * g.DilationH) - g.PadH, off, lo, hi);
                    continue;
                }

                for (int op = rows.Op0; op < rows.Op1; op++)
                {
                    int ih = (op * g.StrideH) - g.PadH + (r * g.DilationH);
                    if (ih < 0 || ih >= h)
                        continue;
                    float* drow = plane + ((long)ih * w);
                    float* srow = src + ((long)(op - rows.Op0) * q);
                    if (g.StrideW == 1)
                    {
                        var dst = new Span<float>(drow + lo + off, hi - lo);
                        TensorPrimitives.Add(dst, new ReadOnlySpan<float>(srow + lo, hi - lo), dst);
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
    }

    // ShiftedPlane's reverse: plane[(op + dh)·W + oq + off] += src[(op − op0)·Q + oq] for the rows inside and
    // oq in [lo, hi), as one addition over the rows inside once src's other columns ([0, lo) and [hi, Q) of
    // each row, which fall in the padding) are zeroed: src is the caller's scratch, read only here
    private static void AddShiftedPlane(float* src, float* plane, OutputRows rows, int dh, int off, int lo, int hi)
    {
        int q = rows.Q;
        int first = Math.Clamp(-dh, rows.Op0, rows.Op1), end = Math.Clamp(rows.H - dh, first, rows.Op1);
        if (end == first || hi <= lo)
            return;
        ClearOutside(src, rows, first, end, lo, hi);
        long from = ((long)(first - rows.Op0) * q) + lo, to = ((long)(end - 1 - rows.Op0) * q) + hi;
        var dst = new Span<float>(plane + ((long)(first + dh) * q) + lo + off, checked((int)(to - from)));
        TensorPrimitives.Add(dst, new ReadOnlySpan<float>(src + from, (int)(to - from)), dst);
    }

    // the output columns oq in [lo, hi) whose input column oq + off lies in [0, w) (stride 1)
    private static (int Lo, int Hi) Inside(int off, int q, int w)
    {
        int lo = Math.Clamp(-off, 0, q);
        int hi = Math.Clamp(w - off, lo, q);
        return (lo, hi);
    }
}
