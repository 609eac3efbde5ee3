using System.Diagnostics;
using NetSpec.DeviceChecks;
using NetSpec.Runtime;
using NetSpec.Runtime.Gemm;
using NetSpec.Runtime.Ops;
using Xunit.Abstractions;

namespace NetSpec.Runtime.Tests.Benchmarks;

/// <summary>
/// Measures (prints, never asserts) GEMM and conv throughput on the CPU. Opt-in: NETSPEC_BENCH=1
/// dotnet test --filter CpuSpeed --logger "console;verbosity=detailed".
/// </summary>
public sealed class CpuSpeed(ITestOutputHelper output)
{
    [BenchFact]
    public unsafe void GemmGflops()
    {
        foreach ((int m, int n, int k, bool ta, bool tb, string what) in new[]
        {
            (64, 2304, 576, false, false, "one image, conv3x3 64→64 @48² forward, one core"),
            (576, 2304, 64, true, false, "one image, same conv backward input, one core"),
            (64, 576, 2304, false, true, "one image, same conv backward weights, one core"),
            (64, 14400, 576, false, false, "conv3x3 64→64 @120² forward (W·col)"),
            (576, 14400, 64, true, false, "same conv, backward input (Wᵀ·dy)"),
            (64, 576, 14400, false, true, "same conv, backward weights (dy·colᵀ)"),
            (512, 3600, 4608, false, false, "conv3x3 512→512 @60² forward"),
            (1024, 1024, 1024, false, false, "square 1024"),
        })
        {
            float[] a = Fill((long)m * k), b = Fill((long)k * n), c = new float[(long)m * n];
            fixed (float* pa = a, pb = b, pc = c)
            {
                int lda = ta ? m : k, ldb = tb ? k : n;
                bool parallel = !what.EndsWith("one core", StringComparison.Ordinal);
                CpuGemm.Run(ta, tb, m, n, k, 1, pa, lda, pb, ldb, 0, pc, n, parallel); // warm-up
                int reps = 0;
                var sw = Stopwatch.StartNew();
                while (sw.Elapsed.TotalSeconds < 1.5 || reps < 2)
                {
                    CpuGemm.Run(ta, tb, m, n, k, 1, pa, lda, pb, ldb, 0, pc, n, parallel);
                    reps++;
                }

                double seconds = sw.Elapsed.TotalSeconds / reps;
                output.WriteLine($"GEMM m={m} n={n} k={k} transA={ta} transB={tb} ({what}): {2.0 * m * n * k / seconds / 1e9:F1} GFLOP/s, {seconds * 1e3:F1} ms");
            }
        }
    }

    [BenchFact]
    public void ConvAndBatchNormMilliseconds()
    {
        using Device d = Device.Create("cpu");
        using var s = new BuffersScope(d);
        const int n = 2, c = 64, h = 120, w = 120;
        var g = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1, 1);
        Tensor x = s.Tensor(Fill((long)n * c * h * w), n, c, h, w), y = s.Tensor(n, c, h, w, 0), dx = s.Tensor(n, c, h, w, 0);
        var wv = s.Floats(Fill(c * c * 9));
        var dw = s.Filled(c * c * 9, 0);
        var stats = Enumerable.Range(0, 4).Select(_ => s.Filled(c, 1)).ToArray();
        var counter = s.Filled(1, 0);
        double flops = 2.0 * n * c * h * w * c * 9;
        Time("conv forward", () => Conv2d.Forward(d, x, wv, default, y, g), flops);
        Time("conv backward input", () => Conv2d.BackwardInput(d, y, wv, dx, g, false), flops);
        Time("conv backward params", () => Conv2d.BackwardParams(d, x, y, dw, default, g), flops);
        Time("bn statistics", () => BatchNorm.Statistics(d, x, stats[0], stats[1], stats[2], stats[3], counter, 0.1f, 1e-5f, true), 0);
        Time("bn apply+relu", () => BatchNorm.Apply(d, x, stats[0], stats[1], stats[2], stats[3], y, true), 0);
        Time("bn backward", () => BatchNorm.Backward(d, x, y, y, stats[0], stats[1], stats[2], dx, stats[3], stats[3], true, false), 0);
        Time("relu", () => Activation.Relu(d, x, y), 0);

        void Time(string what, Action run, double work)
        {
            run();
            d.Synchronize();
            int reps = 0;
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < 1 || reps < 2)
            {
                run();
                d.Synchronize();
                reps++;
            }

            double seconds = sw.Elapsed.TotalSeconds / reps;
            output.WriteLine($"{what} x ({n},{c},{h},{w}): {seconds * 1e3:F1} ms" + (work > 0 ? $", {work / seconds / 1e9:F1} GFLOP/s" : ""));
        }
    }

    private static float[] Fill(long length)
    {
        var rng = new Random(1);
        var v = new float[length];
        for (long i = 0; i < length; i++)
            v[i] = (float)(rng.NextDouble() - 0.5);
        return v;
    }
}

/// <summary>A fact that runs only when NETSPEC_BENCH=1 (timings are measured, not asserted); skipped with the reason otherwise.</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("NETSPEC_BENCH") != "1")
            Skip = "SKIPPED: benchmark; set NETSPEC_BENCH=1 to measure";
    }
}
