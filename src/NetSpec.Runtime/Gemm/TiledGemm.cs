using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Gemm;

/// <summary>GEMM arguments passed to the tiled kernel by value; X_i starts at i · StrideX (0: shared by the batch).</summary>
public readonly record struct GemmArgs(int TransA, int TransB, int M, int N, int K, float Alpha, float Beta, int Lda, int Ldb, int Ldc,
    long StrideA, long StrideB, long StrideC);

/// <summary>
/// A portable ILGPU GEMM (OpenCL, and any accelerator): one t×t group computes one t×t tile of one C_i, staging
/// t×t tiles of op(A_i) and op(B_i) through dynamic shared memory; t = 16, or less where groups are smaller
/// (4 on the CPU accelerator, whose groups hold 16 threads). A strided batch is the grid's third dimension:
/// one launch for any batch.
/// </summary>
public sealed class TiledGemm(Device device) : IGemm
{
    private const int MaxTile = 16;

    /// <summary>The most batch items one launch takes (CUDA's limit on a grid's third dimension).</summary>
    internal const int MaxBatch = 65535;

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc) =>
        GemmStridedBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);

    public void GemmStridedBatched(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda, long strideA,
        ArrayView<float> b, int ldb, long strideB, float beta, ArrayView<float> c, int ldc, long strideC, int batch)
    {
        GemmChecks.Batched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
        if (m == 0 || n == 0)
            return;
        if (batch > MaxBatch)
            throw new ArgumentException($"GEMM batch {batch} exceeds {MaxBatch}, the most one launch of the tiled GEMM takes");
        var kernel = device.GroupKernel("gemm.tiled", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArgs>(TiledKernel));
        int tile = MaxTile;
        while (tile * tile > device.Accelerator.MaxNumThreadsPerGroup)
            tile /= 2;
        var grid = new Index3D((n + tile - 1) / tile, (m + tile - 1) / tile, batch);
        var group = new Index3D(tile, tile, 1);
        // an empty K still scales C: pass C for A and B (never read), with C's strides
        bool empty = k == 0;
        var args = new GemmArgs(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, beta, lda, ldb, ldc,
            empty ? 0 : strideA, empty ? 0 : strideB, strideC);
        kernel(new KernelConfig(grid, group, SharedMemoryConfig.RequestDynamic<float>(2 * tile * tile)), empty ? c : a, empty ? c : b, c, args);
    }

    // C_i[row, col] = alpha · Σ_p op(A_i)[row, p] · op(B_i)[p, col] + beta · C_i[row, col], i = Grid.IdxZ
    internal static void TiledKernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmArgs g)
    {
        int tile = Group.DimX;
        ArrayView<float> shared = SharedMemory.GetDynamic<float>();
        ArrayView<float> tileA = shared.SubView(0, tile * tile);
        ArrayView<float> tileB = shared.SubView(tile * tile, tile * tile);
        int tx = Group.IdxX;
        int ty = Group.IdxY;
        int col = (Grid.IdxX * tile) + tx;
        int row = (Grid.IdxY * tile) + ty;
        long item = Grid.IdxZ;
        long a0 = item * g.StrideA;
        long b0 = item * g.StrideB;
        float sum = 0f;
        for (int t = 0; t < g.K; t += tile)
        {
            int ak = t + tx;
            tileA[(ty * tile) + tx] = row < g.M && ak < g.K
                ? (g.TransA != 0 ? a[a0 + ((long)ak * g.Lda) + row] : a[a0 + ((long)row * g.Lda) + ak])
                : 0f;
            int bk = t + ty;
            tileB[(ty * tile) + tx] = bk < g.K && col < g.N
                ? (g.TransB != 0 ? b[b0 + ((long)col * g.Ldb) + bk] : b[b0 + ((long)bk * g.Ldb) + col])
                : 0f;
            Group.Barrier();
            for (int i = 0; i < tile; i++)
                sum += tileA[(ty * tile) + i] * tileB[(i * tile) + tx];
            Group.Barrier();
        }

        if (row < g.M && col < g.N)
        {
            long ci = (item * g.StrideC) + ((long)row * g.Ldc) + col;
            c[ci] = (g.Alpha * sum) + (g.Beta == 0f ? 0f : g.Beta * c[ci]);
        }
    }
}
