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
        // relu (plain indices): 12 MB through 132·2048 threads of 4 B each over 700 ns: 1.545 TB/s, below 0.9 × 3.35 TB/s
        var big = new KernelLaunch("relu.fwd", 132 * 2048, 12_000_000, 1_000_000);
        AssertClose(12e6 / (132 * 2048 * 4 / 700e-9), H100.Cost(big).Seconds);

        // 120 MB with threads to spare: bandwidth-bound (40 µs)
        var wide = new KernelLaunch("relu.fwd", 1L << 30, 120_000_000, 10_000_000);
        AssertClose(120e6 / Bandwidth, H100.Cost(wide).Seconds);

        // 12 kB: far below a launch, which costs 4 µs
        var small = new KernelLaunch("binary", 1000, 12_000, 1000);
        AssertClose(4e-6, H100.Cost(small).Seconds);
        AssertClose(12_000 / (1000 * 4 / 700e-9), H100.Cost(small).RooflineSeconds);
    }

    [Fact]
    public void Im2ColIsBoundByItsLoadsInFlightNowThatItStepsByDigits()
    {
        // one image of the conv above: 576 × 14400 column elements × 45 integer operations at 132 · 64 · 1.98 G/s
        // (22.3 µs) against 36.9 MB with one float in flight a thread (23.9 µs); it was 130 operations (64.4 µs)
        var k = new KernelLaunch("im2col", 132 * 2048, 4L * ((64 * 14400) + (576 * 14400)), 576 * 14400);
        AssertClose(4.0 * ((64 * 14400) + (576 * 14400)) / (132 * 2048 * 4 / 700e-9), H100.Cost(k).Seconds);
        Assert.True(45.0 * 576 * 14400 / (132 * 64 * 1.98e9) < H100.Cost(k).Seconds);
    }

    [Fact]
    public void ABroadcastingKernelIsBoundByItsLoadsInFlight()
    {
        // binary: three 32-bit divisions per element (BroadcastIndex), 70 operations: 1e6 elements take 4.2 µs,
        // less than its 12 MB in flight (7.8 µs)
        var k = new KernelLaunch("binary", 132 * 2048, 12_000_000, 1_000_000);
        AssertClose(12e6 / (132 * 2048 * 4 / 700e-9), H100.Cost(k).Seconds);
        Assert.True(70.0 * 1_000_000 / (132 * 64 * 1.98e9) < H100.Cost(k).Seconds);
    }

    [Fact]
    public void BatchNormSliceKernelsHaveTwoFloatsInFlightPerThread()
    {
        // bn.fwd.apply takes two elements an iteration: 12 MB over 132·1024 threads with 8 bytes in flight each (7.8 µs),
        // above the bandwidth (4.0 µs at 3.015 TB/s) and its 13 index operations (0.8 µs); relu.fwd, one element: twice
        var k = new KernelLaunch("bn.fwd.apply", 132 * 1024, 12_000_000, 1_000_000);
        AssertClose(12e6 / (132 * 1024 * 8 / 700e-9), H100.Cost(k).Seconds);
        var one = new KernelLaunch("relu.fwd", 132 * 1024, 12_000_000, 1_000_000);
        AssertClose(2 * H100.Cost(k).Seconds, H100.Cost(one).Seconds);
        Assert.True(13.0 * 1_000_000 / (132 * 64 * 1.98e9) < H100.Cost(k).Seconds);
    }

    [Fact]
    public void ASequentialReductionHasALineInFlightPerThread()
    {
        var k = new KernelLaunch("gap.fwd", 256, 4L * 256 * 10_000, 256 * 10_000);
        AssertClose(4.0 * 256 * 10_000 / (256 * 128 / 700e-9), H100.Cost(k).Seconds);
    }

    [Fact]
    public void AGroupTreeReductionHasAFloatInFlightPerThread()
    {
        // bias.grad: 256 groups of 256 threads reading adjacent floats, 10.24 MB over 65536 · 4 B / 700 ns: 27.3 µs
        var k = new KernelLaunch("bias.grad", 256 * 256, 4L * 256 * 10_000, 256 * 10_000);
        AssertClose(4.0 * 256 * 10_000 / (256 * 256 * 4 / 700e-9), H100.Cost(k).Seconds);
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
