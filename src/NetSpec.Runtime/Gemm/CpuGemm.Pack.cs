using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ILGPU;

namespace NetSpec.Runtime.Gemm;

/// <summary>Packing of A and B into the register tile's panels, through 8×8 register transposes where rows run along K.</summary>
public sealed unsafe partial class CpuGemm
{
    // op(A)[ic.., pc..] → panels of MR rows: ap[(panel·kc + p)·MR + i]; reads run along A's rows
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* ap)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mr = Math.Min(MR, mc - ir);
            float* dst = ap + (ir * kc);
            if (mr < MR)
                new Span<float>(dst, kc * MR).Clear();
            if (transA)
            {
                // op(A)[i, p] = A[p, i]: row p of A holds MR consecutive values
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + ((long)(pc + p) * lda) + ic + ir;
                    for (int i = 0; i < mr; i++)
                        dst[(p * MR) + i] = src[i];
                }
            }
            else
            {
                // row i of A is contiguous in p: blocks of 8 rows and then of 4 (MR = 12 = 8 + 4) × 8 columns go
                // through registers, the rest one by one
                bool avx = Avx.IsSupported;
                int i8 = avx ? mr / 8 * 8 : 0, i4 = avx ? i8 + ((mr - i8) / 4 * 4) : 0, p8 = kc / 8 * 8;
                for (int i = 0; i < i8; i += 8)
                {
                    float* src = a + ((long)(ic + ir + i) * lda) + pc;
                    for (int p = 0; p < p8; p += 8)
                        Transpose8x8(src + p, lda, dst + (p * MR) + i, MR);
                }

                if (i4 > i8)
                {
                    float* src = a + ((long)(ic + ir + i8) * lda) + pc;
                    for (int p = 0; p < p8; p += 8)
                        Transpose4x8(src + p, lda, dst + (p * MR) + i8, MR);
                }

                for (int i = 0; i < mr; i++)
                {
                    float* src = a + ((long)(ic + ir + i) * lda) + pc;
                    for (int p = i < i4 ? p8 : 0; p < kc; p++)
                        dst[(p * MR) + i] = src[p];
                }
            }
        }
    }

    // op(B)[pc.., jc..] → panels of NR columns: bp[(panel·kc + p)·NR + j]; reads run along B's rows
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* bp)
    {
        int full = nc / NR * NR;
        if (!transB && Wide && full > 0)
        {
            // the full panels row by row: each row of B is read once, front to back (the prefetcher follows it),
            // a panel row being two 512-bit vectors; the last, partial panel below
            for (int p = 0; p < kc; p++)
            {
                float* src = b + ((long)(pc + p) * ldb) + jc, dst = bp + (p * NR);
                for (int jr = 0; jr < full; jr += NR)
                {
                    Vector512.Store(Vector512.Load(src + jr), dst + (jr * kc));
                    Vector512.Store(Vector512.Load(src + jr + 16), dst + (jr * kc) + 16);
                }
            }

            if (full == nc)
                return;
            PackB(false, b, ldb, pc, jc + full, kc, nc - full, bp + (full * kc));
            return;
        }

        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* dst = bp + (jr * kc);
            if (nr < NR)
                new Span<float>(dst, kc * NR).Clear();
            if (transB)
            {
                // op(B)[p, j] = B[j, p]: row j of B is contiguous in p; whole 8×8 blocks go through registers
                int j8 = Avx.IsSupported ? nr / 8 * 8 : 0, p8 = kc / 8 * 8;
                for (int j = 0; j < j8; j += 8)
                {
                    float* src = b + ((long)(jc + jr + j) * ldb) + pc;
                    for (int p = 0; p < p8; p += 8)
                        Transpose8x8(src + p, ldb, dst + (p * NR) + j, NR);
                    for (int jj = j; jj < j + 8; jj++)
                    {
                        float* row = b + ((long)(jc + jr + jj) * ldb) + pc;
                        for (int p = p8; p < kc; p++)
                            dst[(p * NR) + jj] = row[p];
                    }
                }

                for (int j = j8; j < nr; j++)
                {
                    float* src = b + ((long)(jc + jr + j) * ldb) + pc;
                    for (int p = 0; p < kc; p++)
                        dst[(p * NR) + j] = src[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(b + ((long)(pc + p) * ldb) + jc + jr, nr).CopyTo(new Span<float>(dst + (p * NR), nr));
            }
        }
    }

    // dst[k·ldd + i] = src[i·lds + k] for i < 4, k < 8 (four rows in, eight columns of four out)
    private static void Transpose4x8(float* src, int lds, float* dst, int ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + (2 * lds)), r3 = Avx.LoadVector256(src + (3 * lds));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE); // k = 0, 4 | 1, 5
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE); // k = 2, 6 | 3, 7
        Sse.Store(dst, u0.GetLower());
        Sse.Store(dst + ldd, u1.GetLower());
        Sse.Store(dst + (2 * ldd), u2.GetLower());
        Sse.Store(dst + (3 * ldd), u3.GetLower());
        Sse.Store(dst + (4 * ldd), u0.GetUpper());
        Sse.Store(dst + (5 * ldd), u1.GetUpper());
        Sse.Store(dst + (6 * ldd), u2.GetUpper());
        Sse.Store(dst + (7 * ldd), u3.GetUpper());
    }

    // dst[k·ldd + i] = src[i·lds + k] for i, k < 8 (eight rows in, eight columns out)
    private static void Transpose8x8(float* src, int lds, float* dst, int ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + (2 * lds)), r3 = Avx.LoadVector256(src + (3 * lds));
        Vector256<float> r4 = Avx.LoadVector256(src + (4 * lds)), r5 = Avx.LoadVector256(src + (5 * lds));
        Vector256<float> r6 = Avx.LoadVector256(src + (6 * lds)), r7 = Avx.LoadVector256(src + (7 * lds));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + (2 * ldd), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + (3 * ldd), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + (4 * ldd), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + (5 * ldd), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + (6 * ldd), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + (7 * ldd), Avx.Permute2x128(u3, u7, 0x31));
    }
}
