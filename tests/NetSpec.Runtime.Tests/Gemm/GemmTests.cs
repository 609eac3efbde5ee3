using NetSpec.Runtime;
using NetSpec.Runtime.Gemm;
using NetSpec.Runtime.Tests.Backends;
using NetSpec.Runtime.Tests.Reference;

namespace NetSpec.Runtime.Tests.Gemm;

/// <summary>The device's GEMM and the tiled ILGPU GEMM against a naive double product, per backend.</summary>
public abstract class GemmTests(DeviceFixture fixture)
{
    // sizes cover edge tiles, several K blocks (KC = 512), several column blocks, several row blocks (MC = 96)
    // with A packed once for all column blocks, a single row, K = 0
    private static readonly (int M, int N, int K)[] Sizes = [(13, 37, 29), (1, 50, 7), (70, 1100, 300), (7, 5, 0), (64, 33, 520), (203, 90, 270)];

    private Device D => fixture.Device;

    [BackendFact]
    public void DeviceGemmMatchesNaiveProduct()
    {
        D.AllowTf32 = false;
        foreach (var (m, n, k) in Sizes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Check(D.Gemm, m, n, k, ta, tb);
    }

    [BackendFact]
    public void TiledKernelGemmMatchesNaiveProduct()
    {
        var tiled = new TiledGemm(D);
        foreach (var (m, n, k) in new[] { (13, 37, 29), (17, 16, 33), (5, 3, 0) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Check(tiled, m, n, k, ta, tb);
    }

    [BackendFact]
    public void RejectsViewsThatAreTooSmall()
    {
        using var s = new BuffersScope(D);
        var a = s.Filled(10, 1);
        var ex = Assert.Throws<ArgumentException>(() => D.Gemm.Gemm(false, false, 4, 4, 4, 1, a, 4, a, 4, 0, a, 4));
        Assert.Contains("GEMM A", ex.Message, StringComparison.Ordinal);
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

[Backend(DeviceKind.Cpu)]
public sealed class CpuGemmTests(CpuFixture f) : GemmTests(f), IClassFixture<CpuFixture>;

[Backend(DeviceKind.Cuda)]
public sealed class CudaGemmTests(CudaFixture f) : GemmTests(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClGemmTests(OpenClFixture f) : GemmTests(f), IClassFixture<OpenClFixture>;

/// <summary>The host GEMM with an A packed by its caller (Winograd's weights) against a naive double product.</summary>
public sealed class CpuGemmPackedTests
{
    [Fact]
    public unsafe void PackedAMatchesNaiveProduct()
    {
        // several K blocks (KC = 512) and row panels with padding rows, several column blocks, beta 0 and 1
        foreach (var (m, n, k, beta) in new[] { (13, 37, 29, 0f), (30, 600, 530, 1f), (1, 5, 3, 1f), (25, 17, 1, 0f) })
        {
            var rng = new Random(m + n + k);
            float[] a = Enumerable.Range(0, m * k).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            float[] b = Enumerable.Range(0, k * n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            float[] c = Enumerable.Range(0, m * n).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            int mPad = CpuGemm.PackedRows(m);
            float[] packed = new float[(long)mPad * k];
            for (int i = 0; i < m; i++)
                for (int p = 0; p < k; p++)
                    packed[CpuGemm.PackedOffset(i, p, k, mPad)] = a[(i * k) + p];
            Assert.Equal(m * k, packed.Count(v => v != 0)); // every entry of A has its own place
            var expected = new double[m * n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = beta * (double)c[(i * n) + j];
                    for (int p = 0; p < k; p++)
                        sum += a[(i * k) + p] * (double)b[(p * n) + j];
                    expected[(i * n) + j] = sum;
                }

            fixed (float* pa = packed, pb = b, pc = c)
                CpuGemm.RunPacked(m, n, k, pa, pb, n, beta, pc, n);
            GradientCheck.Compare($"packed m={m} n={n} k={k} beta={beta}", c, expected, k + 2, 0);
        }
    }
}
