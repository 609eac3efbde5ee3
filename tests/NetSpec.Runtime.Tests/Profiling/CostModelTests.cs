using NetSpec.Runtime.Profiling;

namespace NetSpec.Runtime.Tests.Profiling;

/// <summary>The cost model's arithmetic on hand-computed cases (H100 SXM: 67 / 494.5 TFLOP/s, 3.35 TB/s, 132 SMs).</summary>
public sealed class CostModelTests
{
    // doubles over a handful of operations: the hand computation and the model agree to rounding, ~1e-15 relative
    private const double Relative = 1e-12;

    private static readonly CostModel H100 = new(GpuSpec.Find("h100")!);

    private static readonly double Bandwidth = 3.35e12 * 0.9;

    // the 4096³ shape factor the ceilings are calibrated at: 32×32 tiles in ⌈1024/132⌉ = 8 waves, k-fill 4096/4224
    private static readonly double Shape4096 = 1024.0 / 1056 * (4096.0 / 4224);

    [Fact]
    public void A4096CubedTf32GemmRunsAtTheMeasured438TflopsByCalibration()
    {
        var g = new GemmCall(false, false, 4096, 4096, 4096, 1, false, true);
        double expected = 2.0 * 4096 * 4096 * 4096 / 438e12;
        AssertClose(expected, H100.Cost(g).Seconds);
        AssertClose(3 * 4096.0 * 4096 * 4, g.Bytes);
    }

    [Fact]
    public void ASmallMTf32GemmIsBoundByItsBytes()
    {
        // one image of a 3×3 conv 64→64 at 120×120: m = 64, n = 14400, k = 576. 113 tiles (< 132 SMs, k too short
        // to split: 576 / 512 = 1): compute 1.06 GFLOP at 494.5 T × 0.886 / Shape4096 × (64·14400 / (113·128²)) ×
        // (113 / 132) × (576 / 704) ≈ 6.5 µs, less than its 37.0 MB at 3.015 TB/s
        var g = new GemmCall(false, false, 64, 14400, 576, 1, false, true);
        double bytes = 4.0 * ((64 * 576) + (576 * 14400) + (64 * 14400));
        double efficiency = 438 / 494.5 / Shape4096 * (64.0 * 14400 / (113 * 128.0 * 128)) * (113.0 / 132) * (576.0 / 704);
        double compute = 2.0 * 64 * 14400 * 576 / (494.5e12 * efficiency);
        Assert.True(compute < bytes / Bandwidth);
        AssertClose(bytes / Bandwidth, H100.Cost(g).Seconds);
        AssertClose(efficiency, H100.GemmEfficiency(64, 14400, 576, tf32: true));
    }

    [Fact]
    public void AFewTileFloat32GemmSplitsKToFillTheSms()
    {
        // 512×512 C = 16 tiles; k = 4608 splits into min(132 / 16, 4608 / 512) = 8 slices of 576: 128 blocks in one
        // wave; compute-bound (2.4 GFLOP against 19.9 MB)
        var g = new GemmCall(false, true, 512, 512, 4608, 1, false, false);
        double efficiency = 51.7 / 67 / Shape4096 * 1.0 * (128.0 / 132) * (576.0 / 704);
        double expected = 2.0 * 512 * 512 * 4608 / (67e12 * efficiency);
        AssertClose(expected, H100.Cost(g).Seconds);
        Assert.True(g.Bytes / Bandwidth < expected);
    }

    [Fact]
    public void AnElementwiseKernelIsBoundByBandwidthOrItsThreadsInFlight()
    {
        // relu (x in, y out): 1e6 elements through 132·256 threads, 29.6 iterations each at 700 ns (20.7 µs), above
        // its 8 MB at 0.9 × 3.35 TB/s (2.65 µs)
        var few = new KernelLaunch("relu.fwd", 132 * 256, 8_000_000, 1_000_000);
        AssertClose(1e6 / (132 * 256) * 700e-9, H100.Cost(few).Seconds);

        // the same through 132·2048 threads: 3.7 iterations (2.59 µs), now under the bandwidth (and both under a launch)
        var full = new KernelLaunch("relu.fwd", 132 * 2048, 8_000_000, 1_000_000);
        AssertClose(8e6 / Bandwidth, H100.Cost(full).RooflineSeconds);

        // 12 kB: far below a launch, which costs 4 µs
        var small = new KernelLaunch("binary", 1000, 12_000, 1000);
        AssertClose(4e-6, H100.Cost(small).Seconds);
        AssertClose(700e-9, H100.Cost(small).RooflineSeconds); // one iteration a thread
    }

    [Fact]
    public void AThreadWaitsOnceAnIterationForAllItsLoadsAndNeverForItsStores()
    {
        // binary reads a and b together and stores c: 1e6 elements of each (12 MB) through 132·256 threads wait as
        // long as a kernel that reads one view of 1e6 (29.6 iterations × 700 ns = 20.7 µs), not three times as long
        // (the per-view charge: 62.1 µs); above its bandwidth (4.0 µs) and its 70 index operations (4.2 µs)
        double iterations = 1e6 / (132 * 256);
        var three = new KernelLaunch("binary", 132 * 256, 12_000_000, 1_000_000);
        var one = new KernelLaunch("fill", 132 * 256, 4_000_000, 1_000_000);
        AssertClose(iterations * 700e-9, H100.Cost(three).Seconds);
        AssertClose(H100.Cost(one).Seconds, H100.Cost(three).Seconds);
        Assert.True(70.0 * 1e6 / (132 * 64 * 1.98e9) < H100.Cost(three).Seconds);
    }

    [Fact]
    public void TheLatencyStillFitsTheMeasuredBatchNormStatistics()
    {
        // the calibration (docs/gpu-notes.md): statistics over (16,64,120,120) took 0.35 ms on the H100 with
        // bn.stats.partial's 64·1024 threads reading x twice (mean, then variance) into 65,536 partials: 225
        // iterations a pass at 700 ns (0.315 ms for both, 90% of it) leaves 35 µs to the two finishes (64 threads
        // adding 1,024 partials each); one view read, so the per-view charge gave the same to 0.4% (x and the partials)
        long m = 16L * 64 * 120 * 120;
        var pass = new KernelLaunch("bn.stats.partial", 64 * 1024, 4 * (m + 65_536), m);
        AssertClose(m / (64.0 * 1024) * 700e-9, H100.Cost(pass).Seconds);
        Assert.InRange(2 * H100.Cost(pass).Seconds, 0.85 * 0.35e-3, 0.35e-3);
    }

    [Fact]
    public void Im2ColIsBoundByItsIndexArithmeticAtOneElementAnIteration()
    {
        // one image of the conv above: 576 × 14400 column elements, a load of x and a store of col an iteration,
        // 30.7 iterations a thread × 700 ns (21.5 µs), against 45 integer operations an element at 132 · 64 ·
        // 1.98 G/s (22.3 µs) and 36.9 MB at the HBM rate (12.2 µs); it was 130 operations (64.4 µs)
        var k = new KernelLaunch("im2col", 132 * 2048, 4L * ((64 * 14400) + (576 * 14400)), 576 * 14400);
        double index = 45.0 * 576 * 14400 / (132 * 64 * 1.98e9);
        AssertClose(index, H100.Cost(k).Seconds);
        Assert.True(576.0 * 14400 / (132 * 2048) * 700e-9 < index);
    }

    [Fact]
    public void BatchNormSliceKernelsHaveTwoFloatsInFlightPerThread()
    {
        // bn.fwd.apply takes two elements an iteration: 1e6 elements over 132·256 threads, 14.8 iterations × 700 ns
        // (10.4 µs), above its 12 MB at the HBM rate (4.0 µs) and its 13 index operations (0.8 µs); relu.fwd, one
        // element an iteration: twice
        var k = new KernelLaunch("bn.fwd.apply", 132 * 256, 12_000_000, 1_000_000);
        AssertClose(1e6 / (132 * 256 * 2) * 700e-9, H100.Cost(k).Seconds);
        var one = new KernelLaunch("relu.fwd", 132 * 256, 12_000_000, 1_000_000);
        AssertClose(2 * H100.Cost(k).Seconds, H100.Cost(one).Seconds);
        Assert.True(13.0 * 1_000_000 / (132 * 64 * 1.98e9) < H100.Cost(k).Seconds);
    }

    [Fact]
    public void ASequentialReductionHasALineInFlightPerThread()
    {
        // 256 threads each summing 10,000 contiguous floats: 312.5 lines of 128 B a thread, 700 ns each (219 µs)
        var k = new KernelLaunch("gap.fwd", 256, (4L * 256 * 10_000) + (4 * 256), 256 * 10_000);
        AssertClose(10_000 * 4.0 / 128 * 700e-9, H100.Cost(k).Seconds);
    }

    [Fact]
    public void AGroupTreeReductionHasAFloatInFlightPerThread()
    {
        // bias.grad: 256 groups of 256 threads reading adjacent floats of 2.56 M: 39.1 iterations × 700 ns (27.3 µs)
        var k = new KernelLaunch("bias.grad", 256 * 256, (4L * 256 * 10_000) + (4 * 256), 256 * 10_000);
        AssertClose(256.0 * 10_000 / (256 * 256) * 700e-9, H100.Cost(k).Seconds);
    }

    [Fact]
    public void HostEventsCostARoundTrip()
    {
        AssertClose(10e-6, H100.Cost(new HostSync()).Seconds);
        AssertClose(10e-6 + (4 / 25e9), H100.Cost(new HostCopy(CopyKind.Download, 4)).Seconds);
        AssertClose(100e-6, H100.Cost(new WorkspaceGrowth(0, 4096)).Seconds);
    }

    [Fact]
    public void TheEstimateSumsEventsPerOp()
    {
        var launch = new KernelLaunch("binary", 1000, 12_000, 1000);
        var gemm = new GemmCall(false, false, 4096, 4096, 4096, 1, false, true);
        StepEstimate e = H100.Estimate([launch, gemm, launch, new HostSync()]);

        Assert.Equal(["gemm NN tf32", "host sync", "binary"], e.Rows.Select(r => r.Op));
        Assert.Equal([1, 1, 2], e.Rows.Select(r => r.Calls));
        AssertClose((2 * 4e-6) + (2.0 * 4096 * 4096 * 4096 / 438e12) + 10e-6, e.Seconds);
        AssertClose(2.0 * 4096 * 4096 * 4096, e.Flops);
    }

    [Fact]
    public void GpusAreFoundByKeyIgnoringCase()
    {
        Assert.Equal(4.8, GpuSpec.Find(" H200 ")!.HbmTBytesPerSecond);
        Assert.Equal(114, GpuSpec.Find("h100-pcie")!.Sms);
        Assert.Null(GpuSpec.Find("a100"));
    }

    private static void AssertClose(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Relative * Math.Abs(expected), $"expected {expected:G17}, got {actual:G17}");
}
