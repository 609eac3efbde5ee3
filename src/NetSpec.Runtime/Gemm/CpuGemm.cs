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
public sealed unsafe partial class CpuGemm(Device device) : IGemm
{
    // K per block: 512 rather than 256 halves the passes over C and the packing calls (measured: docs/benchmarks.md,
    // "Runtime constants and their measurements"); a 12×512 tile of A and a 512×32 one of B take 72 KB
    private const int KC = 512;
    private const int MC = 96;

    /// <summary>AVX-512: 512-bit registers and 32 of them, so a 12×32 tile (24 accumulators); else 6×2 vectors.</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated;

    private static readonly int MR = Wide ? 12 : 6;
    private static readonly int VC = Wide ? Vector512<float>.Count : Vector<float>.Count;
    private static readonly int NR = 2 * VC;
    private static readonly int NCMax = 16 * NR; // a KC×NC panel of B: 512×512 floats, the size of Zen 5's L2

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

    /// <summary>Rows of op(A) padded to whole register-tile panels: the row count of a packed A.</summary>
    internal static int PackedRows(int m) => RoundUp(m, MR);

    /// <summary>
    /// The most a thread that runs GEMMs keeps for them (its pinned packing buffers, reused from call to call): a block
    /// of A, a panel of B and a whole packed A of at most <see cref="SharedPackLimit"/> floats.
    /// </summary>
    public static long ThreadBufferBytes => sizeof(float) * (PackAFloats + PackBFloats + SharedPackLimit + LineFloats);

    // a thread's MC×KC block of A and KC×NC panel of B, each with room to start on a cache line
    private static int PackAFloats => (((MC + 11) / 12 * 12) * KC) + LineFloats;

    private static int PackBFloats => (KC * NCMax) + LineFloats;

    /// <summary>Where op(A)[i, p] of an m×k product lies in a whole packed A (the layout <see cref="RunPacked"/>
    /// reads): block of KC columns pc at pc·mPad, panel of MR rows at (i − i mod MR)·kc in it, then p-major.</summary>
    internal static long PackedOffset(int i, int p, int k, int mPad)
    {
        int pc = p / KC * KC, kc = Math.Min(KC, k - pc);
        return ((long)pc * mPad) + ((long)(i / MR * MR) * kc) + ((p - pc) * MR) + (i % MR);
    }

    /// <summary>
    /// C = A·B + beta·C on the calling thread, with A already packed by the caller (mPad·k floats at
    /// <see cref="PackedOffset"/>, padding rows zero): for operands made in packed form, such as Winograd's
    /// transformed weights, which would otherwise be written out and packed again.
    /// </summary>
    internal static void RunPacked(int m, int n, int k, float* packedA, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m == 0 || n == 0)
            return;
        int nc = Math.Min(NCMax, RoundUp(n, NR)), colBlocks = (n + nc - 1) / nc, mPad = RoundUp(m, MR);
        var product = new Product(false, false, m, n, k, 1f, null, 0, b, ldb, beta, c, ldc, nc, colBlocks, mPad, mPad, packedA);
        for (int t = 0; t < colBlocks; t++)
            product.Task(t);
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
            packA ??= GC.AllocateUninitializedArray<float>(PackAFloats, pinned: true);
            packB ??= GC.AllocateUninitializedArray<float>(PackBFloats, pinned: true);
            float* ap = LineAligned(packA), bp = LineAligned(packB);
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
        if (sharedPack is null || sharedPack.Length < need + LineFloats)
            sharedPack = GC.AllocateUninitializedArray<float>((int)need + LineFloats, pinned: true);
        float* dst = LineAligned(sharedPack);
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

    private const int LineFloats = 16; // a 64-byte cache line

    // the first cache-line boundary inside a pinned array: packed panels are read with 64-byte vector loads,
    // which cost two cache lines each when not aligned (where a GC array starts varies from run to run)
    private static float* LineAligned(float[] pinned) =>
        (float*)(((nint)Unsafe.AsPointer(ref pinned[0]) + 63) & ~(nint)63);

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
}
