using ILGPU;
using ILGPU.Runtime;
using NetSpec.DeviceChecks;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Profiling;

namespace NetSpec.Runtime.Tests.Profiling;

/// <summary>What a trace records for single ops on the CPU accelerator's kernel path, executed and record-only.</summary>
public sealed class StepTraceTests : IDisposable
{
    private readonly Device d = Device.Create("cpu");

    public void Dispose() => d.Dispose();

    [Fact]
    public void KernelLaunchIsRecordedWithThreadsViewBytesAndLargestViewAndStillRuns()
    {
        using var s = new BuffersScope(d);
        float[] a = Enumerable.Range(0, 120).Select(i => (float)i).ToArray();
        var ta = new Tensor(s.Floats(a), 2, 3, 4, 5);
        var tb = new Tensor(s.Floats([10f, 20f, 30f]), 1, 3, 1, 1);
        var ty = new Tensor(s.Floats(new float[120]), 2, 3, 4, 5);

        StepTrace trace = d.BeginTrace(TraceMode.Execute, kernelPath: true);
        Elementwise.Add(d, ta, tb, ty);
        d.EndTrace();

        // a, b and y: (120 + 3 + 120) floats; threads as the CPU accelerator launches them
        Assert.Equal([new KernelLaunch("binary", d.GridStrideThreads(120), (120 + 3 + 120) * 4, 120)], trace.Events);
        float[] y = DeviceData.Download(ty.View);
        for (int i = 0; i < 120; i++)
            Assert.Equal(a[i] + (10f * (1 + ((i / 20) % 3))), y[i]);
    }

    [Fact]
    public void RecordOnlyRecordsTheSameLaunchAndLeavesBuffersAlone()
    {
        using var s = new BuffersScope(d);
        var ta = new Tensor(s.Floats(Enumerable.Repeat(1f, 120).ToArray()), 2, 3, 4, 5);
        var tb = new Tensor(s.Floats([10f, 20f, 30f]), 1, 3, 1, 1);
        var ty = new Tensor(s.Floats(Enumerable.Repeat(7f, 120).ToArray()), 2, 3, 4, 5);

        StepTrace trace = d.BeginTrace(TraceMode.RecordOnly);
        Assert.False(d.HostCode); // record-only drives the kernel path
        Elementwise.Add(d, ta, tb, ty);
        d.EndTrace();

        Assert.True(d.HostCode);
        Assert.Equal([new KernelLaunch("binary", d.GridStrideThreads(120), (120 + 3 + 120) * 4, 120)], trace.Events);
        Assert.All(DeviceData.Download(ty.View), v => Assert.Equal(7f, v));
    }

    [Fact]
    public void BatchNormPartialSumsFillAGpuForFewChannels()
    {
        // 64 channels of 2×60×60 on an H100 (132 SMs × 2,048 threads): 4,224 partial sums a channel, every resident
        // thread busy (the cap was 1,024 a channel: 65,536 threads, a quarter of the GPU)
        using var s = new BuffersScope(d);
        var x = new Tensor(s.Filled(2 * 64 * 60 * 60, 1f), 2, 64, 60, 60);
        ArrayView<float> mean = s.Filled(64, 0f), invStd = s.Filled(64, 0f);
        StepTrace trace = d.BeginTrace(TraceMode.RecordOnly, kernelPath: true, gridThreads: 132 * 2048);
        BatchNorm.Statistics(d, x, mean, invStd, default, default, default, 0.1f, 1e-5f, training: true);
        d.EndTrace();

        Assert.All(trace.Events.OfType<KernelLaunch>().Where(l => l.Name == "bn.stats.partial"), l => Assert.Equal(132 * 2048, l.Threads));
        Assert.Equal(2, trace.Events.OfType<KernelLaunch>().Count(l => l.Name == "bn.stats.partial"));
    }

    [Fact]
    public void GemmIsRecordedOnceWithoutTheSyncItIssues()
    {
        // executed on the CPU accelerator by the host GEMM, which drains the device first: part of the call
        using var s = new BuffersScope(d);
        // C (2,2) = A (2,3) · Bᵀ, B (2,3)
        ArrayView<float> a = s.Floats([1, 2, 3, 4, 5, 6]);
        ArrayView<float> b = s.Floats([1, 0, 1, 0, 1, 0]);
        ArrayView<float> c = s.Floats([9, 9, 9, 9]);

        long kernelsBefore = d.KernelRequests;
        StepTrace trace = d.BeginTrace(TraceMode.Execute, kernelPath: true);
        d.Gemm.Gemm(false, true, 2, 2, 3, 1f, a, 3, b, 3, 0f, c, 2);
        d.EndTrace();

        Assert.Equal([new GemmCall(false, true, 2, 2, 3, 1, ReadsC: false, Tf32: d.AllowTf32)], trace.Events);
        Assert.Equal([4f, 2f, 10f, 5f], DeviceData.Download(c));

        // batched too: the host GEMM, not the tiled GEMM kernel (which takes minutes a network on the CPU accelerator)
        trace = d.BeginTrace(TraceMode.Execute, kernelPath: true);
        d.Gemm.GemmStridedBatched(false, true, 2, 1, 3, 1f, a, 3, 0, b, 3, 3, 0f, c, 1, 2, 2);
        d.EndTrace();
        Assert.Equal([new GemmCall(false, true, 2, 1, 3, 2, ReadsC: false, Tf32: d.AllowTf32)], trace.Events);
        Assert.Equal([4f, 10f, 2f, 5f], DeviceData.Download(c)); // C_i (2,1) = A · b_i, b_0 = (1,0,1), b_1 = (0,1,0)
        Assert.Equal(kernelsBefore, d.KernelRequests);

        trace = d.BeginTrace(TraceMode.RecordOnly);
        d.Gemm.Gemm(false, true, 2, 2, 3, 1f, a, 3, b, 3, 1f, c, 2);
        d.EndTrace();
        Assert.Equal([new GemmCall(false, true, 2, 2, 3, 1, ReadsC: true, Tf32: d.AllowTf32)], trace.Events);
        Assert.Equal([4f, 10f, 2f, 5f], DeviceData.Download(c)); // not run
    }

    [Fact]
    public void HostCopiesAndSyncsAreRecordedAndRecordOnlySkipsThem()
    {
        using var s = new BuffersScope(d);
        ArrayView<float> v = s.Floats([1, 2, 3]);

        StepTrace trace = d.BeginTrace(TraceMode.RecordOnly);
        DeviceData.Upload(v, [4f, 5f, 6f]);
        float[] read = DeviceData.Download(v);
        DeviceData.Zero(v);
        d.Synchronize();
        d.EndTrace();

        Assert.Equal([new HostCopy(CopyKind.Upload, 12), new HostCopy(CopyKind.Download, 12), new HostCopy(CopyKind.Zero, 12), new HostSync()], trace.Events);
        Assert.Equal([0f, 0f, 0f], read);
        Assert.Equal([1f, 2f, 3f], DeviceData.Download(v));

        trace = d.BeginTrace(TraceMode.Execute);
        DeviceData.Upload(v, [4f, 5f, 6f]);
        read = DeviceData.Download(v);
        d.EndTrace();
        Assert.Equal([new HostCopy(CopyKind.Upload, 12), new HostCopy(CopyKind.Download, 12)], trace.Events);
        Assert.Equal([4f, 5f, 6f], read);
    }

    [Fact]
    public void WorkspaceGrowthIsRecordedOnlyWhenTheWorkspaceGrows()
    {
        d.Workspace(100);
        StepTrace trace = d.BeginTrace(TraceMode.Execute);
        d.Workspace(50);
        d.Workspace(1000);
        d.Workspace(1000);
        d.EndTrace();

        // growing frees the old buffer after a sync
        Assert.Equal([new WorkspaceGrowth(400, 4000), new HostSync()], trace.Events);
    }

    [Fact]
    public void KernelsAreWrappedOnlyWhileATraceIsOn()
    {
        Action<Index1D, ArrayView<float>, long, float, int> fill = FillKernelForTest;
        var plain = d.Kernel("test.fill", fill);
        d.BeginTrace(TraceMode.Execute, kernelPath: true);
        var traced = d.Kernel("test.fill", fill);
        StepTrace trace = d.EndTrace();

        Assert.NotSame(plain, traced);
        Assert.Same(plain, d.Kernel("test.fill", fill)); // untraced launches pay nothing
        Assert.Empty(trace.Events);
    }

    [Fact]
    public void RecordOnlySizesGridStrideLaunchesForTheGivenGpu()
    {
        long own = d.GridStrideThreads(long.MaxValue);
        d.BeginTrace(TraceMode.RecordOnly, gridThreads: 132 * 2048);
        Assert.Equal(132 * 2048, d.GridStrideThreads(long.MaxValue));
        Assert.Equal(1000, d.GridStrideThreads(1000));
        d.EndTrace();
        Assert.Equal(own, d.GridStrideThreads(long.MaxValue));
    }

    [Fact]
    public void RecordOnlySizesGroupKernelsForTheGivenGpu()
    {
        // A GPU's groups hold 1,024 threads, so a tree reduction launches groups of GroupSum's 256 there, whatever
        // the CPU accelerator allows: one group a channel for the bias gradient of a (2,3,4,5) dy, 3 × 256 threads.
        using var s = new BuffersScope(d);
        var dy = new Tensor(s.Floats(new float[120]), 2, 3, 4, 5);
        ArrayView<float> db = s.Floats(new float[3]);
        int own = GroupSum.Size(d);
        StepTrace trace = d.BeginTrace(TraceMode.RecordOnly, gridThreads: 132 * 2048);
        Assert.Equal(256, GroupSum.Size(d));
        Bias.Gradient(d, dy, db);
        d.EndTrace();

        Assert.Equal(3 * 256, Assert.Single(trace.Events.OfType<KernelLaunch>()).Threads);
        Assert.Equal(own, GroupSum.Size(d));
    }

    [Fact]
    public void ACpuOfFourThreadsRunsGroupsOfFourAndAGpuTraceStillLaunchesItsOwnGroups()
    {
        // the bias gradient of a (2,3,4,5) dy: one group a channel; on a CPU accelerator of 4 threads its groups take 4
        // (a two-level tree), the sums stay exact (small integers), and a trace sized for a GPU still launches GroupSum's
        // 256 a group
        using Device small = Device.CreateCpu(4);
        using var s = new BuffersScope(small);
        float[] g = Enumerable.Range(0, 120).Select(i => (float)(i % 7)).ToArray();
        var dy = new Tensor(s.Floats(g), 2, 3, 4, 5);
        ArrayView<float> db = s.Floats(new float[3]);
        Assert.Equal(4, small.Accelerator.MaxNumThreadsPerGroup);
        Assert.Equal(4, GroupSum.Size(small));

        StepTrace executed = small.BeginTrace(TraceMode.Execute, kernelPath: true);
        Bias.Gradient(small, dy, db);
        small.EndTrace();
        Assert.Equal(3 * 4, Assert.Single(executed.Events.OfType<KernelLaunch>()).Threads);
        float[] expected = [.. Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 120).Where(i => (i / 20) % 3 == c).Sum(i => g[i]))];
        Assert.Equal(expected, DeviceData.Download(db));

        StepTrace gpu = small.BeginTrace(TraceMode.RecordOnly, gridThreads: 132 * 2048);
        Bias.Gradient(small, dy, db);
        small.EndTrace();
        Assert.Equal(3 * 256, Assert.Single(gpu.Events.OfType<KernelLaunch>()).Threads);
        Assert.Throws<ArgumentOutOfRangeException>(() => Device.CreateCpu(3));
    }

    [Fact]
    public void TracesDoNotNestAndGridThreadsNeedRecordOnly()
    {
        Assert.Throws<ArgumentException>(() => d.BeginTrace(TraceMode.Execute, gridThreads: 1024));
        Assert.Null(d.Trace);
        d.BeginTrace(TraceMode.Execute);
        Assert.Throws<InvalidOperationException>(() => d.BeginTrace(TraceMode.Execute));
        d.EndTrace();
        Assert.Throws<InvalidOperationException>(() => d.EndTrace());
    }

    private static void FillKernelForTest(Index1D index, ArrayView<float> x, long n, float value, int stride)
    {
        for (long i = index; i < n; i += stride)
            x[i] = value;
    }
}
