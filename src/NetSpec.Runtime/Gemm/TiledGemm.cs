using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Gemm;

/// <summary>GEMM arguments passed to the tiled kernel by value.</summary>
public readonly record struct GemmArgs(int TransA, int TransB, int M, int N, int K, float Alpha, float Beta, int Lda, int Ldb, int Ldc);

/// <summary>
/// A portable ILGPU GEMM (OpenCL, and any accelerator): one t×t group computes one t×t tile of C, staging
/// t×t tiles of op(A) and op(B) through dynamic shared memory; t = 16, or less where groups are smaller
/// (4 on the CPU accelerator, whose groups hold 16 threads).
/// </summary>
public sealed class TiledGemm(Device device) : IGemm
{
    private const int MaxTile = 16;

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        GemmChecks.Arguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
            return;
        var kernel = device.GroupKernel("gemm.tiled", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArgs>(TiledKernel));
        int tile = MaxTile;
        while (tile * tile > device.Accelerator.MaxNumThreadsPerGroup)
            tile /= 2;
        var grid = new Index2D((n + tile - 1) / tile, (m + tile - 1) / tile);
        var group = new Index2D(tile, tile);
        // an empty K still scales C: pass a one-element view so that the kernel never reads it
        ArrayView<float> av = k == 0 ? c : a;
        ArrayView<float> bv = k == 0 ? c : b;
        kernel(new KernelConfig(grid, group, SharedMemoryConfig.RequestDynamic<float>(2 * tile * tile)), av, bv, c, new GemmArgs(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, beta, lda, ldb, ldc));
    }

    // C[row, col] = alpha · Σ_p op(A)[row, p] · op(B)[p, col] + beta · C[row, col]
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
        float sum = 0f;
        for (int t = 0; t < g.K; t += tile)
        {
            int ak = t + tx;
            tileA[(ty * tile) + tx] = row < g.M && ak < g.K
                ? (g.TransA != 0 ? a[((long)ak * g.Lda) + row] : a[((long)row * g.Lda) + ak])
                : 0f;
            int bk = t + ty;
            tileB[(ty * tile) + tx] = bk < g.K && col < g.N
                ? (g.TransB != 0 ? b[((long)col * g.Ldb) + bk] : b[((long)bk * g.Ldb) + col])
                : 0f;
            Group.Barrier();
            for (int i = 0; i < tile; i++)
                sum += tileA[(ty * tile) + i] * tileB[(i * tile) + tx];
            Group.Barrier();
        }

        if (row < g.M && col < g.N)
        {
            long ci = ((long)row * g.Ldc) + col;
            c[ci] = (g.Alpha * sum) + (g.Beta == 0f ? 0f : g.Beta * c[ci]);
        }
    }
}
