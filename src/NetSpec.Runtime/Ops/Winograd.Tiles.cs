using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetSpec.Runtime.Ops;

/// <summary>Input and output transforms, up to 16 tiles of a row at a time (AVX-512), else tile by tile.</summary>
internal static unsafe partial class Winograd
{
    // LoadEvens reads 32 floats from a tile row's start: room past the plane's last row for a partial group
    private const int PlaneSlack = 48;

    // Mask[n]: the first n lanes
    private static readonly Vector512<float>[] Mask = Enumerable.Range(0, 17).Select(Lanes).ToArray();

    /// <summary>
    /// V_e for channels [0, cc) of x (planes of <paramref name="xPlane"/> floats, rows of <paramref name="w"/>) and
    /// tile rows [rt0, rt1): channel c's row of V_e at v + e·vStride + c·ldv, tile (rt, ct) at column (rt − rt0)·tiles + ct.
    /// </summary>
    public static void Input(float* x, long xPlane, int w, int cc, WinogradAxis rows, WinogradAxis cols, int rt0, int rt1,
        float* v, long vStride, int ldv, bool parallel, bool avx512)
    {
        int widest = 0;
        for (int b = 0; b < cols.Phases; b++)
            widest = Math.Max(widest, (2 * cols.TilesOf(b)) + 2);
        var job = new InputChannels(x, xPlane, w, rows, cols, rt0, rt1, v, vStride, ldv, avx512, (widest * ((2 * (rt1 - rt0)) + 2)) + PlaneSlack);
        HostParallel.For(cc, parallel, job);
    }

    private readonly struct InputChannels(float* x, long xPlane, int w, WinogradAxis rows, WinogradAxis cols, int rt0, int rt1,
        float* v, long vStride, int ldv, bool avx512, int planeFloats) : IIndexedJob
    {
        public void Run(int c)
        {
            if (planeScratch is null || planeScratch.Length < planeFloats)
                planeScratch = GC.AllocateUninitializedArray<float>(planeFloats, pinned: true);
            fixed (float* plane = planeScratch)
                InputChannel(x + (c * xPlane), w, rows, cols, rt0, rt1, plane, v + ((long)c * ldv), vStride, avx512);
        }
    }

    // one channel: for each phase pair (a, b), its grid rows of the chunk copied into a zero-padded plane, then
    // tiles read from the plane at stride 2
    private static void InputChannel(float* x, int w, WinogradAxis rows, WinogradAxis cols, int rt0, int rt1, float* plane, float* v, long vStride, bool avx512)
    {
        int tw = cols.Tiles, rowBase = 0;
        for (int a = 0; a < rows.Phases; rowBase += rows.TilesOf(a), a++)
        {
            int i0 = Math.Max(0, rt0 - rowBase), i1 = Math.Min(rows.TilesOf(a), rt1 - rowBase);
            if (i0 >= i1)
                continue;
            int colBase = 0;
            for (int b = 0; b < cols.Phases; colBase += cols.TilesOf(b), b++)
            {
                int tiles = cols.TilesOf(b), ws = (2 * tiles) + 2;
                FillPlane(x, w, rows, cols, a, b, 2 * i0, (2 * i1) + 2, ws, plane);
                for (int i = i0; i < i1; i++)
                {
                    float* pr = plane + ((long)(2 * (i - i0)) * ws);
                    float* vt = v + ((long)(rowBase + i - rt0) * tw) + colBase;
                    if (avx512)
                    {
                        for (int j = 0; j < tiles; j += 16)
                            InputTiles16(pr + (2 * j), ws, vt + j, vStride, Mask[Math.Min(16, tiles - j)]);
                    }
                    else
                    {
                        for (int j = 0; j < tiles; j++)
                            InputTile(pr + (2 * j), ws, vt + j, vStride);
                    }
                }
            }
        }
    }

    // plane[(k − k0)·ws + l] = x at grid (k, l) of phase (a, b), zero outside the input
    private static void FillPlane(float* x, int w, WinogradAxis rows, WinogradAxis cols, int a, int b, int k0, int k1, int ws, float* plane)
    {
        (int lo, int hi) = cols.InsideRange(b, ws);
        int first = cols.Input(b, 0), dil = cols.Dilation;
        for (int k = k0; k < k1; k++)
        {
            float* dst = plane + ((long)(k - k0) * ws);
            int ri = rows.Input(a, k);
            if (!rows.Inside(ri) || lo >= hi)
            {
                new Span<float>(dst, ws).Clear();
                continue;
            }

            float* src = x + ((long)ri * w) + first;
            new Span<float>(dst, lo).Clear();
            if (dil == 1)
                new ReadOnlySpan<float>(src + lo, hi - lo).CopyTo(new Span<float>(dst + lo, hi - lo));
            else
                for (int l = lo; l < hi; l++)
                    dst[l] = src[l * dil];
            new Span<float>(dst + hi, ws - hi).Clear();
        }
    }

    // Bᵀ·d·B of the 4×4 tile at p (rows ws apart): rows combined first (t), then columns
    private static void InputTile(float* p, int ws, float* v, long vStride)
    {
        float* t = stackalloc float[16];
        for (int col = 0; col < 4; col++)
        {
            float d0 = p[col], d1 = p[ws + col], d2 = p[(2 * ws) + col], d3 = p[(3 * ws) + col];
            t[col] = d0 - d2;
            t[4 + col] = d1 + d2;
            t[8 + col] = d2 - d1;
            t[12 + col] = d1 - d3;
        }

        for (int r = 0; r < 4; r++)
        {
            float t0 = t[4 * r], t1 = t[(4 * r) + 1], t2 = t[(4 * r) + 2], t3 = t[(4 * r) + 3];
            v[(4 * r) * vStride] = t0 - t2;
            v[((4 * r) + 1) * vStride] = t1 + t2;
            v[((4 * r) + 2) * vStride] = t2 - t1;
            v[((4 * r) + 3) * vStride] = t1 - t3;
        }
    }

    // the same for up to 16 tiles side by side (tile j's column col at p + 2j + col), one tile a lane; lanes past
    // the mask read past the row (into the plane's slack) and are not stored
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputTiles16(float* p, int ws, float* v, long vStride, Vector512<float> mask)
    {
        Vector512<float> d00 = HostOps.LoadEvens(p), d01 = HostOps.LoadEvens(p + 1), d02 = HostOps.LoadEvens(p + 2), d03 = HostOps.LoadEvens(p + 3);
        p += ws;
        Vector512<float> d10 = HostOps.LoadEvens(p), d11 = HostOps.LoadEvens(p + 1), d12 = HostOps.LoadEvens(p + 2), d13 = HostOps.LoadEvens(p + 3);
        p += ws;
        Vector512<float> d20 = HostOps.LoadEvens(p), d21 = HostOps.LoadEvens(p + 1), d22 = HostOps.LoadEvens(p + 2), d23 = HostOps.LoadEvens(p + 3);
        p += ws;
        Vector512<float> d30 = HostOps.LoadEvens(p), d31 = HostOps.LoadEvens(p + 1), d32 = HostOps.LoadEvens(p + 2), d33 = HostOps.LoadEvens(p + 3);
        InputRow(d00 - d20, d01 - d21, d02 - d22, d03 - d23, v, vStride, mask);
        InputRow(d10 + d20, d11 + d21, d12 + d22, d13 + d23, v + (4 * vStride), vStride, mask);
        InputRow(d20 - d10, d21 - d11, d22 - d12, d23 - d13, v + (8 * vStride), vStride, mask);
        InputRow(d10 - d30, d11 - d31, d12 - d32, d13 - d33, v + (12 * vStride), vStride, mask);
    }

    // one row of Bᵀ·d times B: positions e … e + 3
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputRow(Vector512<float> t0, Vector512<float> t1, Vector512<float> t2, Vector512<float> t3, float* v, long vStride, Vector512<float> mask)
    {
        Avx512F.MaskStore(v, mask, t0 - t2);
        Avx512F.MaskStore(v + vStride, mask, t1 + t2);
        Avx512F.MaskStore(v + (2 * vStride), mask, t2 - t1);
        Avx512F.MaskStore(v + (3 * vStride), mask, t1 - t3);
    }

    /// <summary>
    /// y (+)= Aᵀ·M·A for output channels [0, k) and tile rows [rt0, rt1): channel kk's M_e row at m + e·mStride + kk·ldm
    /// (columns as in <see cref="Input"/>), its output plane at y + kk·yPlane.
    /// </summary>
    public static void Output(float* m, long mStride, int ldm, int k, WinogradAxis rows, WinogradAxis cols, int rt0, int rt1,
        float* y, long yPlane, bool accumulate, bool parallel, bool avx512)
    {
        var job = new OutputChannels(m, mStride, ldm, rows, cols, rt0, rt1, y, yPlane, accumulate, avx512);
        HostParallel.For(k, parallel, job);
    }

    private readonly struct OutputChannels(float* m, long mStride, int ldm, WinogradAxis rows, WinogradAxis cols, int rt0, int rt1,
        float* y, long yPlane, bool accumulate, bool avx512) : IIndexedJob
    {
        public void Run(int kk) => OutputChannel(m + ((long)kk * ldm), mStride, rows, cols, rt0, rt1, y + (kk * yPlane), accumulate, avx512);
    }

    private static void OutputChannel(float* m, long mStride, WinogradAxis rows, WinogradAxis cols, int rt0, int rt1, float* y, bool accumulate, bool avx512)
    {
        int tw = cols.Tiles, q = cols.Length, rowBase = 0;
        for (int a = 0; a < rows.Phases; rowBase += rows.TilesOf(a), a++)
        {
            int i0 = Math.Max(0, rt0 - rowBase), i1 = Math.Min(rows.TilesOf(a), rt1 - rowBase);
            for (int i = i0; i < i1; i++)
            {
                int o0 = a + (2 * rows.Dilation * i);
                float* y0 = y + ((long)o0 * q);
                float* y1 = (2 * i) + 1 < rows.Outputs(a) ? y0 + ((long)rows.Dilation * q) : null;
                int colBase = 0;
                for (int b = 0; b < cols.Phases; colBase += cols.TilesOf(b), b++)
                {
                    int tiles = cols.TilesOf(b), outputs = cols.Outputs(b), dil = cols.Dilation;
                    float* mt = m + ((long)(rowBase + i - rt0) * tw) + colBase;
                    if (avx512)
                    {
                        for (int j = 0; j < tiles; j += 16)
                            OutputTiles16(mt + j, mStride, y0, y1, b, dil, j, Math.Min(16, tiles - j), outputs, accumulate);
                    }
                    else
                    {
                        for (int j = 0; j < tiles; j++)
                        {
                            int c0 = b + (2 * dil * j);
                            OutputTile(mt + j, mStride, y0 + c0, y1 == null ? null : y1 + c0, (2 * j) + 1 < outputs ? dil : 0, accumulate);
                        }
                    }
                }
            }
        }
    }

    // Aᵀ·M·A of one tile (M_e at m + e·mStride) into y0[0], y0[dc], y1[0], y1[dc]; dc = 0: no second column, y1 null: no second row
    private static void OutputTile(float* m, long mStride, float* y0, float* y1, int dc, bool accumulate)
    {
        float* s = stackalloc float[8];
        for (int col = 0; col < 4; col++)
        {
            float m0 = m[col * mStride], m1 = m[(4 + col) * mStride], m2 = m[(8 + col) * mStride], m3 = m[(12 + col) * mStride];
            s[col] = m0 + m1 + m2;
            s[4 + col] = m1 - m2 - m3;
        }

        for (int r = 0; r < 2; r++)
        {
            float* yr = r == 0 ? y0 : y1;
            if (yr == null)
                continue;
            float first = s[4 * r] + s[(4 * r) + 1] + s[(4 * r) + 2], second = s[(4 * r) + 1] - s[(4 * r) + 2] - s[(4 * r) + 3];
            yr[0] = accumulate ? yr[0] + first : first;
            if (dc > 0)
                yr[dc] = accumulate ? yr[dc] + second : second;
        }
    }

    private static readonly Vector512<int> LowPairs = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> HighPairs = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    // tiles j0 … j0 + n − 1 of a row of phase b (n ≤ 16), one a lane: undilated, their two output columns
    // interleaved (32 adjacent outputs, masked at the row's end); dilated, lane by lane
    private static void OutputTiles16(float* m, long mStride, float* y0, float* y1, int b, int dil, int j0, int n, int outputs, bool accumulate)
    {
        // column col of Aᵀ·M: rows 0 (top) and 1 (bottom)
        (Vector512<float> s00, Vector512<float> s10) = OutputColumn(m, mStride, 0);
        (Vector512<float> s01, Vector512<float> s11) = OutputColumn(m, mStride, 1);
        (Vector512<float> s02, Vector512<float> s12) = OutputColumn(m, mStride, 2);
        (Vector512<float> s03, Vector512<float> s13) = OutputColumn(m, mStride, 3);
        Vector512<float> y00 = s00 + s01 + s02, y01 = s01 - s02 - s03, y10 = s10 + s11 + s12, y11 = s11 - s12 - s13;
        if (dil == 1)
        {
            int count = Math.Min(32, outputs - (2 * j0));
            StorePairs(y00, y01, y0 + (2 * j0), count, accumulate);
            if (y1 != null)
                StorePairs(y10, y11, y1 + (2 * j0), count, accumulate);
            return;
        }

        float* lanes = stackalloc float[64];
        Vector512.Store(y00, lanes);
        Vector512.Store(y01, lanes + 16);
        Vector512.Store(y10, lanes + 32);
        Vector512.Store(y11, lanes + 48);
        for (int l = 0; l < n; l++)
        {
            int j = j0 + l, c0 = b + (2 * dil * j);
            bool second = (2 * j) + 1 < outputs;
            Put(y0 + c0, lanes[l], accumulate);
            if (second)
                Put(y0 + c0 + dil, lanes[16 + l], accumulate);
            if (y1 != null)
            {
                Put(y1 + c0, lanes[32 + l], accumulate);
                if (second)
                    Put(y1 + c0 + dil, lanes[48 + l], accumulate);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Top, Vector512<float> Bottom) OutputColumn(float* m, long mStride, int col)
    {
        Vector512<float> m0 = Vector512.Load(m + (col * mStride)), m1 = Vector512.Load(m + ((4 + col) * mStride));
        Vector512<float> m2 = Vector512.Load(m + ((8 + col) * mStride)), m3 = Vector512.Load(m + ((12 + col) * mStride));
        return (m0 + m1 + m2, m1 - m2 - m3);
    }

    private static void Put(float* y, float value, bool accumulate) => *y = accumulate ? *y + value : value;

    // first and second outputs of 16 tiles, interleaved, into the first count ≤ 32 floats at y
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePairs(Vector512<float> first, Vector512<float> second, float* y, int count, bool accumulate)
    {
        Vector512<float> loMask = Mask[Math.Min(16, count)], hiMask = Mask[Math.Max(0, count - 16)];
        Vector512<float> lo = Avx512F.PermuteVar16x32x2(first, LowPairs, second), hi = Avx512F.PermuteVar16x32x2(first, HighPairs, second);
        if (accumulate)
        {
            lo += Avx512F.MaskLoad(y, loMask, Vector512<float>.Zero);
            hi += Avx512F.MaskLoad(y + 16, hiMask, Vector512<float>.Zero);
        }

        Avx512F.MaskStore(y, loMask, lo);
        Avx512F.MaskStore(y + 16, hiMask, hi);
    }
}
