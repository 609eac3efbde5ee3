using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Gemm;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Gemm;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Gemm;

[Backend(DeviceKind.Cpu)]
public sealed class CpuGemmTests(CpuFixture f) : BackendChecks<GemmProductChecks>(f), IClassFixture<CpuFixture>;

[Backend(DeviceKind.Cuda)]
public sealed class CudaGemmTests(CudaFixture f) : BackendChecks<GemmProductChecks>(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClGemmTests(OpenClFixture f) : BackendChecks<GemmProductChecks>(f), IClassFixture<OpenClFixture>;

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
