using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Gemm;

namespace NetSpec.DeviceChecks.Gemm;

/// <summary>The device's GEMM and the tiled ILGPU GEMM against a naive double product, per backend.</summary>
public sealed class GemmProductChecks(DeviceFixture fixture)
{
    // sizes cover edge tiles, several K blocks (KC = 512), several column blocks, several row blocks (MC = 96)
    // with A packed once for all column blocks, a single row, K = 0
    private static readonly (int M, int N, int K)[] Sizes = [(13, 37, 29), (1, 50, 7), (70, 1100, 300), (7, 5, 0), (64, 33, 520), (203, 90, 270)];

    private Device D => fixture.Device;

    [DeviceCheck]
    public void DeviceGemmMatchesNaiveProduct()
    {
        D.AllowTf32 = false;
        foreach (var (m, n, k) in Sizes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Check(D.Gemm, m, n, k, ta, tb);
    }

    [DeviceCheck]
    public void TiledKernelGemmMatchesNaiveProduct()
    {
        var tiled = new TiledGemm(D);
        foreach (var (m, n, k) in new[] { (13, 37, 29), (17, 16, 33), (5, 3, 0) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Check(tiled, m, n, k, ta, tb);
    }

    [DeviceCheck]
    public void RejectsViewsThatAreTooSmall()
    {
        using var s = new BuffersScope(D);
        var a = s.Filled(10, 1);
        var ex = Expect.Throws<ArgumentException>(() => D.Gemm.Gemm(false, false, 4, 4, 4, 1, a, 4, a, 4, 0, a, 4));
        Expect.Contains("GEMM A", ex.Message);
    }

    [DeviceCheck]
    public void DeviceStridedBatchedGemmMatchesNaiveProducts()
    {
        D.AllowTf32 = false;
        CheckBatches(D.Gemm);
    }

    [DeviceCheck]
    public void TiledKernelStridedBatchedGemmMatchesNaiveProducts() => CheckBatches(new TiledGemm(D));

    [DeviceCheck]
    public void StridedBatchedGemmRejectsBadBatches()
    {
        using var s = new BuffersScope(D);
        var v = s.Filled(64, 1);
        // C items 4×4 (16 floats) 8 apart overlap
        var overlap = Expect.Throws<ArgumentException>(() => D.Gemm.GemmStridedBatched(false, false, 4, 4, 4, 1, v, 4, 0, v, 4, 0, 0, v, 4, 8, 2));
        Expect.Contains("overlap", overlap.Message);
        // the third B item would end past the view: (3 − 1) · 30 + 16 > 64
        var past = Expect.Throws<ArgumentException>(() => D.Gemm.GemmStridedBatched(false, false, 4, 4, 4, 1, v, 4, 0, v, 4, 30, 0, v, 4, 16, 3));
        Expect.Contains("GEMM B", past.Message);
        // a stride so large that (batch − 1) · stride overflows a long must not wrap around into "fits"
        Expect.Throws<ArgumentException>(() => D.Gemm.GemmStridedBatched(false, false, 4, 4, 4, 1, v, 4, long.MaxValue / 2, v, 4, 0, 0, v, 4, 16, 3));
        Expect.Throws<ArgumentException>(() => D.Gemm.GemmStridedBatched(false, false, 4, 4, 4, 1, v, 4, -16, v, 4, 0, 0, v, 4, 16, 2));
        Expect.Throws<ArgumentException>(() => D.Gemm.GemmStridedBatched(false, false, 4, 4, 4, 1, v, 4, 0, v, 4, 0, 0, v, 4, 16, 0));
    }

    // every transpose; in turn A shared (stride 0), B shared, neither; items packed or with gaps; K = 0 scales C only
    private void CheckBatches(IGemm gemm)
    {
        int turn = 0;
        foreach (var (m, n, k, batch) in new[] { (13, 37, 29, 3), (17, 16, 33, 2), (5, 3, 0, 4), (1, 9, 70, 5) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    int lda = (ta ? m : k) + 1, ldb = tb ? k : n, ldc = n + 2;
                    long oneA = (long)(ta ? k : m) * lda, oneB = (long)(tb ? n : k) * ldb, oneC = (long)m * ldc;
                    int share = turn++ % 3; // 0: A shared, 1: B shared, 2: neither
                    CheckBatch(gemm, m, n, k, ta, tb, batch, lda, share == 0 ? 0 : oneA + 5, ldb, share == 1 ? 0 : oneB, ldc, oneC + 7);
                }
    }

    private void CheckBatch(IGemm gemm, int m, int n, int k, bool ta, bool tb, int batch, int lda, long strideA, int ldb, long strideB, int ldc, long strideC)
    {
        long lenA = ((batch - 1) * strideA) + ((long)(ta ? k : m) * lda), lenB = ((batch - 1) * strideB) + ((long)(tb ? n : k) * ldb);
        long lenC = ((batch - 1) * strideC) + ((long)m * ldc);
        float[] af = Rand((int)lenA + 1, 4).Select(v => (float)v).ToArray(), bf = Rand((int)lenB + 1, 5).Select(v => (float)v).ToArray();
        float[] cf = Rand((int)lenC, 6).Select(v => (float)v).ToArray();
        const float alpha = 1.25f, beta = 0.5f;
        using var s = new BuffersScope(D);
        var cv = s.Floats(cf);
        gemm.GemmStridedBatched(ta, tb, m, n, k, alpha, s.Floats(af), lda, strideA, s.Floats(bf), ldb, strideB, beta, cv, ldc, strideC, batch);
        float[] result = s.Read(cv);
        double[] expected = cf.Select(v => (double)v).ToArray(); // floats outside every C_i stay as they were
        for (int t = 0; t < batch; t++)
        {
            long a0 = t * strideA, b0 = t * strideB, c0 = t * strideC;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                        sum += af[a0 + (ta ? (p * lda) + i : (i * lda) + p)] * (double)bf[b0 + (tb ? (j * ldb) + p : (p * ldb) + j)];
                    expected[c0 + (i * ldc) + j] = (alpha * sum) + (beta * cf[c0 + (i * ldc) + j]);
                }
        }

        GradientCheck.Compare($"{gemm.GetType().Name} batch={batch} m={m} n={n} k={k} transA={ta} transB={tb} strides {strideA}/{strideB}/{strideC}", result, expected, k + 2, 0);
    }

    private void Check(IGemm gemm, int m, int n, int k, bool ta, bool tb)
    {
        // leading dimensions wider than the rows, to test the strides
        int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 1;
        double[] a = Rand(((ta ? k : m) * lda) + 1, 1), b = Rand(((tb ? n : k) * ldb) + 1, 2), c = Rand(m * ldc, 3);
        const float alpha = 0.75f, beta = -0.5f;
        float[] af = a.Select(v => (float)v).ToArray(), bf = b.Select(v => (float)v).ToArray(), cf = c.Select(v => (float)v).ToArray();
        using var s = new BuffersScope(D);
        var cv = s.Floats(cf);
        gemm.Gemm(ta, tb, m, n, k, alpha, s.Floats(af), lda, s.Floats(bf), ldb, beta, cv, ldc);
        float[] result = s.Read(cv);
        var expected = new double[m * ldc];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    expected[(i * ldc) + j] = cf[(i * ldc) + j]; // padding columns stay untouched
                    continue;
                }

                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += af[ta ? (p * lda) + i : (i * lda) + p] * (double)bf[tb ? (j * ldb) + p : (p * ldb) + j];
                expected[(i * ldc) + j] = (alpha * sum) + (beta * cf[(i * ldc) + j]);
            }

        GradientCheck.Compare($"{gemm.GetType().Name} m={m} n={n} k={k} transA={ta} transB={tb}", result, expected, k + 2, 0);
    }

    private static double[] Rand(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2) - 1).ToArray();
    }
}
