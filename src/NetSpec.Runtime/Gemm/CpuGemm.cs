using System.Numerics;
using ILGPU;

namespace NetSpec.Runtime.Gemm;

/// <summary>
/// Host GEMM over CPU-accelerator memory: blocked for cache (KC×NC panels of B, MC×KC blocks of A, both
/// packed), a 6×(2·Vector&lt;float&gt;.Count) register tile with fused multiply-adds, tasks (row block ×
/// column block) spread over cores with Parallel.For.
/// </summary>
public sealed unsafe class CpuGemm(Device device) : IGemm
{
    private const int MR = 6;
    private const int KC = 256;
    private const int MC = 96;
    private static readonly int VC = Vector<float>.Count;
    private static readonly int NR = 2 * Vector<float>.Count;
    private static readonly int NCMax = 32 * NR; // a KC×NC panel of B (256×512 floats with AVX2) stays within L2

    [ThreadStatic]
    private static float[]? packA;

    [ThreadStatic]
    private static float[]? packB;

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        GemmChecks.Arguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
            return;
        device.Synchronize();
        float* pa = k == 0 ? null : HostAccess.Pointer(a);
        float* pb = k == 0 ? null : HostAccess.Pointer(b);
        Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, HostAccess.Pointer(c), ldc);
    }

    /// <summary>The same product over raw host pointers (also used by benchmarks and tests).</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc)
    {
        // tasks: column blocks of B (each packs its KC×NC panel once and sweeps all its rows), split by
        // row groups only where there are fewer column blocks than cores
        int cores = Environment.ProcessorCount;
        int nc = Math.Min(NCMax, RoundUp((n + cores - 1) / cores, NR));
        int colBlocks = (n + nc - 1) / nc;
        int rowGroups = Math.Clamp(cores / colBlocks, 1, (m + MR - 1) / MR);
        int rowsPerGroup = RoundUp((m + rowGroups - 1) / rowGroups, MR);
        Parallel.For(0, rowGroups * colBlocks, new ParallelOptions { MaxDegreeOfParallelism = cores }, task =>
        {
            int jc = task % colBlocks * nc;
            int ncb = Math.Min(nc, n - jc);
            int rowStart = task / colBlocks * rowsPerGroup;
            int rowEnd = Math.Min(m, rowStart + rowsPerGroup);
            if (rowStart >= rowEnd)
                return;
            ScaleBlock(c, ldc, rowStart, jc, rowEnd - rowStart, ncb, beta);
            if (k == 0 || alpha == 0f)
                return;
            packA ??= new float[MC * KC];
            packB ??= new float[KC * NCMax];
            fixed (float* ap = packA, bp = packB)
            {
                for (int pc = 0; pc < k; pc += KC)
                {
                    int kc = Math.Min(KC, k - pc);
                    PackB(transB, b, ldb, pc, jc, kc, ncb, bp);
                    for (int ic = rowStart; ic < rowEnd; ic += MC)
                    {
                        int mc = Math.Min(MC, rowEnd - ic);
                        PackA(transA, a, lda, ic, pc, mc, kc, ap);
                        for (int jr = 0; jr < ncb; jr += NR)
                        {
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                float* ct = c + ((long)(ic + ir) * ldc) + jc + jr;
                                MicroTile(kc, ap + (ir * kc), bp + (jr * kc), ct, ldc, Math.Min(MR, mc - ir), Math.Min(NR, ncb - jr), alpha);
                            }
                        }
                    }
                }
            }
        });
    }

    private static int RoundUp(int v, int multiple) => Math.Max(multiple, (v + multiple - 1) / multiple * multiple);

    private static void ScaleBlock(float* c, int ldc, int ic, int jc, int mc, int nc, float beta)
    {
        if (beta == 1f)
            return;
        for (int i = 0; i < mc; i++)
        {
            var row = new Span<float>(c + ((long)(ic + i) * ldc) + jc, nc);
            if (beta == 0f)
                row.Clear();
            else
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    // op(A)[ic.., pc..] → panels of MR rows: ap[(panel·kc + p)·MR + i]
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* ap)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            int mr = Math.Min(MR, mc - ir);
            float* dst = ap + (ir * kc);
            for (int p = 0; p < kc; p++)
            {
                for (int i = 0; i < MR; i++)
                {
                    long row = ic + ir + i;
                    long col = pc + p;
                    dst[(p * MR) + i] = i < mr ? (transA ? a[(col * lda) + row] : a[(row * lda) + col]) : 0f;
                }
            }
        }
    }

    // op(B)[pc.., jc..] → panels of NR columns: bp[(panel·kc + p)·NR + j]
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* bp)
    {
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* dst = bp + (jr * kc);
            for (int p = 0; p < kc; p++)
            {
                long row = pc + p;
                float* d = dst + (p * NR);
                if (!transB && nr == NR)
                {
                    float* s = b + (row * ldb) + jc + jr;
                    *(Vector<float>*)d = *(Vector<float>*)s;
                    *(Vector<float>*)(d + VC) = *(Vector<float>*)(s + VC);
                    continue;
                }

                for (int j = 0; j < NR; j++)
                {
                    long col = jc + jr + j;
                    d[j] = j < nr ? (transB ? b[(col * ldb) + row] : b[(row * ldb) + col]) : 0f;
                }
            }
        }
    }

    // C[0..mr, 0..nr] += alpha · Σ_p ap[p,:] ⊗ bp[p,:]
    private static void MicroTile(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr, float alpha)
    {
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<float> b0 = *(Vector<float>*)bp;
            Vector<float> b1 = *(Vector<float>*)(bp + VC);
            var a0 = new Vector<float>(ap[0]);
            c00 = Vector.FusedMultiplyAdd(a0, b0, c00);
            c01 = Vector.FusedMultiplyAdd(a0, b1, c01);
            var a1 = new Vector<float>(ap[1]);
            c10 = Vector.FusedMultiplyAdd(a1, b0, c10);
            c11 = Vector.FusedMultiplyAdd(a1, b1, c11);
            var a2 = new Vector<float>(ap[2]);
            c20 = Vector.FusedMultiplyAdd(a2, b0, c20);
            c21 = Vector.FusedMultiplyAdd(a2, b1, c21);
            var a3 = new Vector<float>(ap[3]);
            c30 = Vector.FusedMultiplyAdd(a3, b0, c30);
            c31 = Vector.FusedMultiplyAdd(a3, b1, c31);
            var a4 = new Vector<float>(ap[4]);
            c40 = Vector.FusedMultiplyAdd(a4, b0, c40);
            c41 = Vector.FusedMultiplyAdd(a4, b1, c41);
            var a5 = new Vector<float>(ap[5]);
            c50 = Vector.FusedMultiplyAdd(a5, b0, c50);
            c51 = Vector.FusedMultiplyAdd(a5, b1, c51);
            ap += MR;
            bp += NR;
        }

        float* tile = stackalloc float[MR * 2 * Vector<float>.Count];
        var va = new Vector<float>(alpha);
        Store(tile, 0, c00 * va, c01 * va);
        Store(tile, 1, c10 * va, c11 * va);
        Store(tile, 2, c20 * va, c21 * va);
        Store(tile, 3, c30 * va, c31 * va);
        Store(tile, 4, c40 * va, c41 * va);
        Store(tile, 5, c50 * va, c51 * va);
        for (int i = 0; i < mr; i++)
        {
            float* row = c + ((long)i * ldc);
            float* t = tile + (i * NR);
            if (nr == NR)
            {
                *(Vector<float>*)row += *(Vector<float>*)t;
                *(Vector<float>*)(row + VC) += *(Vector<float>*)(t + VC);
            }
            else
            {
                for (int j = 0; j < nr; j++)
                    row[j] += t[j];
            }
        }
    }

    private static void Store(float* tile, int row, Vector<float> left, Vector<float> right)
    {
        *(Vector<float>*)(tile + (row * NR)) = left;
        *(Vector<float>*)(tile + (row * NR) + VC) = right;
    }
}
