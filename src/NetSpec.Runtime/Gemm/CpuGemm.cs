using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ILGPU;

namespace NetSpec.Runtime.Gemm;

/// <summary>
/// Host GEMM over CPU-accelerator memory: blocked for cache (KC×NC panels of B, MC×KC blocks of A, both
/// packed), a register tile of fused multiply-adds (12×32 with AVX-512, else 6×(2·Vector&lt;float&gt;.Count)),
/// tasks (row block × column block) spread over cores with HostParallel.For.
/// </summary>
public sealed unsafe class CpuGemm(Device device) : IGemm
{
    private const int KC = 256;
    private const int MC = 96;

    /// <summary>AVX-512: 512-bit registers and 32 of them, so a 12×32 tile (24 accumulators); else 6×2 vectors.</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated;

    private static readonly int MR = Wide ? 12 : 6;
    private static readonly int VC = Wide ? Vector512<float>.Count : Vector<float>.Count;
    private static readonly int NR = 2 * VC;
    private static readonly int NCMax = 16 * NR; // a KC×NC panel of B (256×512 floats) stays within L2

    [ThreadStatic]
    private static float[]? packA;

    [ThreadStatic]
    private static float[]? packB;

    // the calling thread's packed A, shared read-only by the tasks of one product
    [ThreadStatic]
    private static float[]? sharedPack;

    private const long SharedPackLimit = 4L << 20; // floats (16 MiB)

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

    /// <summary>
    /// The same product over raw host pointers (also used by benchmarks and tests), on all cores or, with
    /// <paramref name="parallel"/> false, on the calling thread only (for callers that parallelise outside).
    /// </summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, bool parallel = true)
    {
        // tasks: column blocks of B (each packs its KC×NC panel once and sweeps all its rows), split by
        // row groups only where there are fewer column blocks than cores
        int cores = parallel ? Environment.ProcessorCount : 1;
        int nc = Math.Min(NCMax, RoundUp((n + cores - 1) / cores, NR));
        int colBlocks = (n + nc - 1) / nc;
        int rowGroups = Math.Clamp(cores / colBlocks, 1, (m + MR - 1) / MR);
        int rowsPerGroup = RoundUp((m + rowGroups - 1) / rowGroups, MR);

        // A packed once for all column blocks when it is small enough (conv weights, usually): block pc
        // of KC columns at pc·mPad, MR-row panels inside. Otherwise each task packs its MC×KC blocks.
        int mPad = RoundUp(m, MR);
        bool sharedA = colBlocks > 1 && k > 0 && alpha != 0f && (long)mPad * k <= SharedPackLimit;
        float* packedA = sharedA ? PackAll(transA, a, lda, m, k, mPad, parallel) : null;
        var product = new Product(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nc, colBlocks, rowsPerGroup, mPad, packedA);
        int tasks = rowGroups * colBlocks;
        if (parallel)
            HostParallel.For(tasks, product.Task);
        else
            for (int t = 0; t < tasks; t++)
                product.Task(t); // no closure: a struct call
    }

    /// <summary>One product's arguments and blocking; Task(t) computes column block t % colBlocks of row group t / colBlocks.</summary>
    private readonly struct Product(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc, int nc, int colBlocks, int rowsPerGroup, int mPad, float* packedA)
    {
        public void Task(int task)
        {
            int jc = task % colBlocks * nc;
            int ncb = Math.Min(nc, n - jc);
            int rowStart = task / colBlocks * rowsPerGroup;
            int rowEnd = Math.Min(m, rowStart + rowsPerGroup);
            if (rowStart >= rowEnd)
                return;
            // with beta = 0 the first K block overwrites C (no clearing pass, no read of C)
            bool overwriteFirst = beta == 0f && k > 0 && alpha != 0f;
            if (!overwriteFirst)
                ScaleBlock(c, ldc, rowStart, jc, rowEnd - rowStart, ncb, beta);
            if (k == 0 || alpha == 0f)
                return;
            packA ??= new float[((MC + 11) / 12 * 12) * KC];
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
                        float* apb = ap;
                        if (packedA != null)
                            apb = packedA + ((long)pc * mPad) + ((long)ic * kc);
                        else
                            PackA(transA, a, lda, ic, pc, mc, kc, ap);
                        for (int jr = 0; jr < ncb; jr += NR)
                        {
                            for (int ir = 0; ir < mc; ir += MR)
                            {
                                float* ct = c + ((long)(ic + ir) * ldc) + jc + jr;
                                if (Wide)
                                    MicroTile512(kc, apb + (ir * kc), bp + (jr * kc), ct, ldc, Math.Min(MR, mc - ir), Math.Min(NR, ncb - jr), alpha, overwriteFirst && pc == 0);
                                else
                                    MicroTile(kc, apb + (ir * kc), bp + (jr * kc), ct, ldc, Math.Min(MR, mc - ir), Math.Min(NR, ncb - jr), alpha, overwriteFirst && pc == 0);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>All of op(A), packed in parallel into the calling thread's pinned buffer (reused, grows only).</summary>
    private static float* PackAll(bool transA, float* a, int lda, int m, int k, int mPad, bool parallel)
    {
        long need = (long)mPad * k;
        if (sharedPack is null || sharedPack.Length < need)
            sharedPack = GC.AllocateUninitializedArray<float>((int)need, pinned: true);
        float* dst = (float*)Unsafe.AsPointer(ref sharedPack[0]);
        int panels = mPad / MR, blocks = (k + KC - 1) / KC;
        if (parallel)
        {
            HostParallel.For(panels * blocks, job => PackPanel(transA, a, lda, m, k, mPad, dst, job));
        }
        else
        {
            for (int job = 0; job < panels * blocks; job++)
                PackPanel(transA, a, lda, m, k, mPad, dst, job);
        }

        return dst;
    }

    // panel (job % panels) of block (job / panels) of the whole packed A
    private static void PackPanel(bool transA, float* a, int lda, int m, int k, int mPad, float* dst, int job)
    {
        int panels = mPad / MR;
        int pc = job / panels * KC, ir = job % panels * MR;
        int kc = Math.Min(KC, k - pc);
        PackA(transA, a, lda, ir, pc, Math.Min(MR, m - ir), kc, dst + ((long)pc * mPad) + ((long)ir * kc));
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
                // row i of A is contiguous in p: whole 8×8 blocks go through registers, the rest one by one
                int i8 = Avx.IsSupported ? mr / 8 * 8 : 0, p8 = kc / 8 * 8;
                for (int i = 0; i < i8; i += 8)
                {
                    float* src = a + ((long)(ic + ir + i) * lda) + pc;
                    for (int p = 0; p < p8; p += 8)
                        Transpose8x8(src + p, lda, dst + (p * MR) + i, MR);
                }

                for (int i = 0; i < mr; i++)
                {
                    float* src = a + ((long)(ic + ir + i) * lda) + pc;
                    for (int p = i < i8 ? p8 : 0; p < kc; p++)
                        dst[(p * MR) + i] = src[p];
                }
            }
        }
    }

    // op(B)[pc.., jc..] → panels of NR columns: bp[(panel·kc + p)·NR + j]; reads run along B's rows
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* bp)
    {
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
            else if (nr == NR && Wide)
            {
                // a full panel row is two 512-bit vectors: copy them directly (a Memmove call a row cost more)
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + ((long)(pc + p) * ldb) + jc + jr;
                    Vector512.Store(Vector512.Load(src), dst + (p * NR));
                    Vector512.Store(Vector512.Load(src + 16), dst + (p * NR) + 16);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(b + ((long)(pc + p) * ldb) + jc + jr, nr).CopyTo(new Span<float>(dst + (p * NR), nr));
            }
        }
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

    // C[0..mr, 0..nr] += alpha · Σ_p ap[p,:] ⊗ bp[p,:], 12×32 with 512-bit registers
    private static void MicroTile512(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr, float alpha, bool overwrite)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(bp);
            Vector512<float> b1 = Vector512.Load(bp + 16);
            Vector512<float> a = Vector512.Create(ap[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(ap[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(ap[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(ap[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(ap[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(ap[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(ap[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(ap[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            a = Vector512.Create(ap[8]);
            c80 = Vector512.FusedMultiplyAdd(a, b0, c80);
            c81 = Vector512.FusedMultiplyAdd(a, b1, c81);
            a = Vector512.Create(ap[9]);
            c90 = Vector512.FusedMultiplyAdd(a, b0, c90);
            c91 = Vector512.FusedMultiplyAdd(a, b1, c91);
            a = Vector512.Create(ap[10]);
            ca0 = Vector512.FusedMultiplyAdd(a, b0, ca0);
            ca1 = Vector512.FusedMultiplyAdd(a, b1, ca1);
            a = Vector512.Create(ap[11]);
            cb0 = Vector512.FusedMultiplyAdd(a, b0, cb0);
            cb1 = Vector512.FusedMultiplyAdd(a, b1, cb1);
            ap += 12;
            bp += 32;
        }

        var va = Vector512.Create(alpha);
        if (mr == 12 && nr == 32 && overwrite)
        {
            Store512(c, ldc, 0, c00 * va, c01 * va);
            Store512(c, ldc, 1, c10 * va, c11 * va);
            Store512(c, ldc, 2, c20 * va, c21 * va);
            Store512(c, ldc, 3, c30 * va, c31 * va);
            Store512(c, ldc, 4, c40 * va, c41 * va);
            Store512(c, ldc, 5, c50 * va, c51 * va);
            Store512(c, ldc, 6, c60 * va, c61 * va);
            Store512(c, ldc, 7, c70 * va, c71 * va);
            Store512(c, ldc, 8, c80 * va, c81 * va);
            Store512(c, ldc, 9, c90 * va, c91 * va);
            Store512(c, ldc, 10, ca0 * va, ca1 * va);
            Store512(c, ldc, 11, cb0 * va, cb1 * va);
            return;
        }

        if (mr == 12 && nr == 32)
        {
            Add512(c, ldc, 0, c00 * va, c01 * va);
            Add512(c, ldc, 1, c10 * va, c11 * va);
            Add512(c, ldc, 2, c20 * va, c21 * va);
            Add512(c, ldc, 3, c30 * va, c31 * va);
            Add512(c, ldc, 4, c40 * va, c41 * va);
            Add512(c, ldc, 5, c50 * va, c51 * va);
            Add512(c, ldc, 6, c60 * va, c61 * va);
            Add512(c, ldc, 7, c70 * va, c71 * va);
            Add512(c, ldc, 8, c80 * va, c81 * va);
            Add512(c, ldc, 9, c90 * va, c91 * va);
            Add512(c, ldc, 10, ca0 * va, ca1 * va);
            Add512(c, ldc, 11, cb0 * va, cb1 * va);
            return;
        }

        float* tile = stackalloc float[12 * 32];
        StoreTile512(tile, 0, c00 * va, c01 * va);
        StoreTile512(tile, 1, c10 * va, c11 * va);
        StoreTile512(tile, 2, c20 * va, c21 * va);
        StoreTile512(tile, 3, c30 * va, c31 * va);
        StoreTile512(tile, 4, c40 * va, c41 * va);
        StoreTile512(tile, 5, c50 * va, c51 * va);
        StoreTile512(tile, 6, c60 * va, c61 * va);
        StoreTile512(tile, 7, c70 * va, c71 * va);
        StoreTile512(tile, 8, c80 * va, c81 * va);
        StoreTile512(tile, 9, c90 * va, c91 * va);
        StoreTile512(tile, 10, ca0 * va, ca1 * va);
        StoreTile512(tile, 11, cb0 * va, cb1 * va);
        for (int i = 0; i < mr; i++)
        {
            float* row = c + ((long)i * ldc), t = tile + (i * 32);
            for (int j = 0; j < nr; j++)
                row[j] = overwrite ? t[j] : row[j] + t[j];
        }
    }

    private static void Add512(float* c, int ldc, int row, Vector512<float> left, Vector512<float> right)
    {
        float* r = c + ((long)row * ldc);
        (Vector512.Load(r) + left).Store(r);
        (Vector512.Load(r + 16) + right).Store(r + 16);
    }

    private static void StoreTile512(float* tile, int row, Vector512<float> left, Vector512<float> right)
    {
        left.Store(tile + (row * 32));
        right.Store(tile + (row * 32) + 16);
    }

    private static void Store512(float* c, int ldc, int row, Vector512<float> left, Vector512<float> right)
    {
        float* r = c + ((long)row * ldc);
        left.Store(r);
        right.Store(r + 16);
    }

    // C[0..mr, 0..nr] += alpha · Σ_p ap[p,:] ⊗ bp[p,:]
    private static void MicroTile(int kc, float* ap, float* bp, float* c, int ldc, int mr, int nr, float alpha, bool overwrite)
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
                *(Vector<float>*)row = overwrite ? *(Vector<float>*)t : *(Vector<float>*)row + *(Vector<float>*)t;
                *(Vector<float>*)(row + VC) = overwrite ? *(Vector<float>*)(t + VC) : *(Vector<float>*)(row + VC) + *(Vector<float>*)(t + VC);
            }
            else
            {
                for (int j = 0; j < nr; j++)
                    row[j] = overwrite ? t[j] : row[j] + t[j];
            }
        }
    }

    private static void Store(float* tile, int row, Vector<float> left, Vector<float> right)
    {
        *(Vector<float>*)(tile + (row * NR)) = left;
        *(Vector<float>*)(tile + (row * NR) + VC) = right;
    }
}
