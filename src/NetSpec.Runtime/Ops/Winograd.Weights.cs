using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Ops;

/// <summary>The filter transform with AVX-512: 12 filters (one register-tile panel of output channels) at a time.</summary>
internal static unsafe partial class Winograd
{
    private static readonly Vector512<float> NineLanes = Lanes(9), TwelveLanes = Lanes(12);

    /// <summary>A mask of the first n lanes (n ≤ 16).</summary>
    internal static Vector512<float> Lanes(int n) =>
        Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(n)).AsSingle();

    // the filters (k0 + i, c0 + p), i < 12, for every p: loaded a filter a row (taps in lanes 0–8), turned into
    // a tap a register (lane i: filter i) by a 12×9 transpose, transformed, and stored as 12 packed floats
    private static void PanelVector(float* w, long rowStride, long colStride, bool flip, int k, int k0, int c0, int cc, float* u, long uStride, int mPad)
    {
        int rows = Math.Min(12, k - k0);
        for (int p = 0; p < cc; p++)
        {
            float* f = w + ((c0 + p) * colStride) + (k0 * rowStride);
            Vector512<float> r0 = Row(f, rowStride, 0, rows), r1 = Row(f, rowStride, 1, rows), r2 = Row(f, rowStride, 2, rows);
            Vector512<float> r3 = Row(f, rowStride, 3, rows), r4 = Row(f, rowStride, 4, rows), r5 = Row(f, rowStride, 5, rows);
            Vector512<float> r6 = Row(f, rowStride, 6, rows), r7 = Row(f, rowStride, 7, rows), r8 = Row(f, rowStride, 8, rows);
            Vector512<float> r9 = Row(f, rowStride, 9, rows), r10 = Row(f, rowStride, 10, rows), r11 = Row(f, rowStride, 11, rows);

            // pairs of rows interleaved, then quads: b_j's 128-bit lane L holds rows 0–3 (4–7, 8–11) of column 4L + j
            Vector512<float> a0 = Avx512F.UnpackLow(r0, r1), a1 = Avx512F.UnpackHigh(r0, r1), a2 = Avx512F.UnpackLow(r2, r3), a3 = Avx512F.UnpackHigh(r2, r3);
            Vector512<float> a4 = Avx512F.UnpackLow(r4, r5), a5 = Avx512F.UnpackHigh(r4, r5), a6 = Avx512F.UnpackLow(r6, r7), a7 = Avx512F.UnpackHigh(r6, r7);
            Vector512<float> a8 = Avx512F.UnpackLow(r8, r9), a9 = Avx512F.UnpackHigh(r8, r9), a10 = Avx512F.UnpackLow(r10, r11), a11 = Avx512F.UnpackHigh(r10, r11);
            Vector512<float> b0 = Quads(a0, a2, false), b1 = Quads(a0, a2, true), b2 = Quads(a1, a3, false), b3 = Quads(a1, a3, true);
            Vector512<float> b4 = Quads(a4, a6, false), b5 = Quads(a4, a6, true), b6 = Quads(a5, a7, false), b7 = Quads(a5, a7, true);
            Vector512<float> b8 = Quads(a8, a10, false), b9 = Quads(a8, a10, true), b10 = Quads(a9, a11, false), b11 = Quads(a9, a11, true);

            // tap j and 4 + j from lanes 0 and 1 of b_j, b_(4+j), b_(8+j); tap 8 from lane 2 of b_0, b_4, b_8
            Vector512<float> zero = Vector512<float>.Zero;
            Vector512<float> s0 = Avx512F.Shuffle4x128(b0, b4, 0x44), z0 = Avx512F.Shuffle4x128(b8, zero, 0x44);
            Vector512<float> s1 = Avx512F.Shuffle4x128(b1, b5, 0x44), z1 = Avx512F.Shuffle4x128(b9, zero, 0x44);
            Vector512<float> s2 = Avx512F.Shuffle4x128(b2, b6, 0x44), z2 = Avx512F.Shuffle4x128(b10, zero, 0x44);
            Vector512<float> s3 = Avx512F.Shuffle4x128(b3, b7, 0x44), z3 = Avx512F.Shuffle4x128(b11, zero, 0x44);
            Vector512<float> s8 = Avx512F.Shuffle4x128(b0, b4, 0xEE), z8 = Avx512F.Shuffle4x128(b8, zero, 0xEE);
            Vector512<float> t0 = Avx512F.Shuffle4x128(s0, z0, 0x88), t4 = Avx512F.Shuffle4x128(s0, z0, 0xDD);
            Vector512<float> t1 = Avx512F.Shuffle4x128(s1, z1, 0x88), t5 = Avx512F.Shuffle4x128(s1, z1, 0xDD);
            Vector512<float> t2 = Avx512F.Shuffle4x128(s2, z2, 0x88), t6 = Avx512F.Shuffle4x128(s2, z2, 0xDD);
            Vector512<float> t3 = Avx512F.Shuffle4x128(s3, z3, 0x88), t7 = Avx512F.Shuffle4x128(s3, z3, 0xDD);
            Vector512<float> t8 = Avx512F.Shuffle4x128(s8, z8, 0x88);
            if (flip)
            {
                (t0, t8) = (t8, t0);
                (t1, t7) = (t7, t1);
                (t2, t6) = (t6, t2);
                (t3, t5) = (t5, t3);
            }

            // G·g column by column (rows q0..q3 of 3 taps), then each row times Gᵀ
            Vector512<float> half = Vector512.Create(0.5f);
            Vector512<float> h0 = half * (t0 + t6), h1 = half * (t1 + t7), h2 = half * (t2 + t8);
            Vector512<float> m0 = half * t3, m1 = half * t4, m2 = half * t5;
            float* at = u + CpuGemm.PackedOffset(k0, p, cc, mPad);
            StoreRow(t0, t1, t2, at, uStride, 0);
            StoreRow(h0 + m0, h1 + m1, h2 + m2, at, uStride, 4);
            StoreRow(h0 - m0, h1 - m1, h2 - m2, at, uStride, 8);
            StoreRow(t6, t7, t8, at, uStride, 12);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Row(float* f, long rowStride, int i, int rows) =>
        i < rows ? Avx512F.MaskLoad(f + (i * rowStride), NineLanes, Vector512<float>.Zero) : Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quads(Vector512<float> a, Vector512<float> b, bool high) =>
        high ? Avx512F.UnpackHigh(a.AsDouble(), b.AsDouble()).AsSingle() : Avx512F.UnpackLow(a.AsDouble(), b.AsDouble()).AsSingle();

    // one row of G·g (three taps) times Gᵀ: positions e0 … e0 + 3
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(Vector512<float> q0, Vector512<float> q1, Vector512<float> q2, float* at, long uStride, int e0)
    {
        Vector512<float> h = Vector512.Create(0.5f) * (q0 + q2), m = Vector512.Create(0.5f) * q1;
        Avx512F.MaskStore(at + (e0 * uStride), TwelveLanes, q0);
        Avx512F.MaskStore(at + ((e0 + 1) * uStride), TwelveLanes, h + m);
        Avx512F.MaskStore(at + ((e0 + 2) * uStride), TwelveLanes, h - m);
        Avx512F.MaskStore(at + ((e0 + 3) * uStride), TwelveLanes, q2);
    }
}
