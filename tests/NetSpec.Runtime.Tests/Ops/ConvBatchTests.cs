using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Ops;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>The kernels on ILGPU's CPU accelerator, the whole batch in one chunk.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuKernelConvBatchTests(CpuKernelFixture f) : BackendChecks<ConvBatchChecks>(f), IClassFixture<CpuKernelFixture>;

/// <summary>The kernels with one image a chunk.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuKernelChunksConvBatchTests(CpuKernelChunksFixture f) : BackendChecks<ConvBatchChecks>(f), IClassFixture<CpuKernelChunksFixture>;

/// <summary>The host code (Conv2d.Host.cs, Winograd) on the same batches.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuConvBatchTests(CpuFixture f) : BackendChecks<ConvBatchChecks>(f), IClassFixture<CpuFixture>;

/// <summary>The host code with every weight gradient by one worker (no per-worker partial dW).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuOneWorkerWeightsConvBatchTests(CpuOneWorkerWeightsFixture f) : BackendChecks<ConvBatchChecks>(f), IClassFixture<CpuOneWorkerWeightsFixture>;

/// <summary>
/// The host weight gradient's workspace: a partial dW for each worker but the first, until those pass
/// <c>Device.WeightGradientPartialsLimitFloats</c>, then none (one worker, parallel inside). A pointwise conv has no
/// columns, so its training workspace is exactly the partials.
/// </summary>
public sealed class ConvWeightPartialsTests
{
    [Fact]
    public void PartialWeightGradientsPastTheLimitGiveWayToOneWorker()
    {
        var pointwise = new ConvGeometry(1, 1, 1, 1, 0, 0, 1, 1, 1);
        const int N = 8, C = 512, K = 512;
        long weights = (long)K * C, partials = (Math.Min(Environment.ProcessorCount, N) - 1) * weights;
        using Device d = Device.Create("cpu");

        d.WeightGradientPartialsLimitFloats = partials; // at the limit: the partials stay
        Assert.Equal(partials, Conv2d.WorkspaceFloats(d, N, C, 4, 4, K, pointwise, training: true));
        d.WeightGradientPartialsLimitFloats = partials - 1; // past it: none (on one core there were none anyway)
        Assert.Equal(0, Conv2d.WorkspaceFloats(d, N, C, 4, 4, K, pointwise, training: true));
    }
}

[Backend(DeviceKind.Cuda)]
public sealed class CudaConvBatchTests(CudaFixture f) : BackendChecks<ConvBatchChecks>(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClConvBatchTests(OpenClFixture f) : BackendChecks<ConvBatchChecks>(f), IClassFixture<OpenClFixture>;

/// <summary>Launches per conv call on the kernel path, and the order of dW's sum over the images.</summary>
public sealed class ConvLaunchTests(CpuKernelFixture whole, CpuKernelChunksFixture chunks) : IClassFixture<CpuKernelFixture>, IClassFixture<CpuKernelChunksFixture>
{
    // (C, K, R, stride, pad, dilation, groups)
    private static readonly (int C, int K, int R, int Stride, int Pad, int Dil, int G)[] Geometries =
        [(4, 6, 3, 1, 1, 1, 1), (4, 6, 3, 2, 1, 1, 2), (4, 6, 3, 1, 2, 2, 1), (6, 4, 1, 1, 0, 0, 1), (6, 4, 1, 1, 0, 0, 2), (6, 4, 1, 2, 0, 0, 1)];

    /// <summary>
    /// Per call: forward = im2col + one GEMM a group; dx = one GEMM a group + col2im; dW = im2col + one GEMM a group
    /// + the sum over images (a pointwise conv has no im2col/col2im) — the same at batch 1, 3 and 8.
    /// </summary>
    [Fact]
    public void LaunchesPerConvCallDoNotDependOnTheBatch()
    {
        Device d = whole.Device;
        foreach (var (c, k, r, stride, pad, dil, groups) in Geometries)
        {
            var g = new ConvGeometry(r, r, stride, stride, pad, pad, Math.Max(1, dil), Math.Max(1, dil), groups);
            int unfold = g.IsPointwise ? 0 : 1;
            foreach (int n in new[] { 1, 3, 8 })
            {
                (long forward, long input, long weights) = Count(d, n, c, k, g);
                string what = $"{g} at batch {n}";
                Assert.True(forward == unfold + groups, $"{what}: forward took {forward} launches");
                Assert.True(input == groups + unfold, $"{what}: backward-input took {input} launches");
                Assert.True(weights == unfold + groups + 1, $"{what}: backward-weights took {weights} launches");
            }
        }
    }

    /// <summary>dW summed over 5 images in one chunk equals, bit for bit, dW summed one image a chunk: both add the images in order.</summary>
    [Fact]
    public void WeightGradientAddsImagesInAFixedOrder()
    {
        var g = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1, 1);
        float[] once = WeightGradient(whole.Device, g);
        float[] chunked = WeightGradient(chunks.Device, g);
        Assert.Equal(once, chunked);
        Assert.Contains(once, v => v != 0f);
    }

    /// <summary>
    /// Chunks of 2, 2 and 1 images (a limit just above two images' columns and dW products) give y, dx and dW with the
    /// same bits as the whole batch in one chunk: each image's GEMMs do not depend on the chunk, and dW adds the images in order.
    /// </summary>
    [Fact]
    public void UnevenChunksGiveTheBitsOfOneChunk()
    {
        var g = new ConvGeometry(3, 3, 2, 2, 1, 1, 1, 1, 2);
        const int n = 5, c = 4, k = 6, h = 7, w = 6;
        int p = g.OutH(h), q = g.OutW(w);
        long perImage = ((long)c * 9 * p * q) + ((long)k * (c / 2) * 9);
        using Device pairs = Device.Create("cpu");
        pairs.HostCode = false;
        pairs.KernelColumnLimitFloats = (2 * perImage) + 1;
        var (y1, dx1, dw1) = Run(whole.Device);
        var (y2, dx2, dw2) = Run(pairs);
        Assert.Equal(y1, y2);
        Assert.Equal(dx1, dx2);
        Assert.Equal(dw1, dw2);

        (float[] Y, float[] Dx, float[] Dw) Run(Device d)
        {
            var rng = new Random(9);
            float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            using var s = new BuffersScope(d);
            Tensor x = s.Tensor(Values(n * c * h * w), n, c, h, w), dy = s.Tensor(Values(n * k * p * q), n, k, p, q);
            Tensor y = s.Tensor(n, k, p, q, float.NaN), dx = s.Tensor(n, c, h, w, float.NaN);
            ArrayView<float> wt = s.Floats(Values(k * (c / 2) * 9)), dw = s.Filled(k * (c / 2) * 9, float.NaN);
            long before = d.KernelRequests;
            Conv2d.Forward(d, x, wt, default, y, g);
            Conv2d.BackwardInput(d, dy, wt, dx, g, accumulate: false);
            Conv2d.BackwardParams(d, x, dy, dw, default, g);
            // three chunks where the limit splits the batch: 3 × ((1 + 2) + (2 + 1) + (1 + 2 + 1)) launches, else one chunk's
            Assert.Equal(d == pairs ? 30 : 10, d.KernelRequests - before);
            return (s.Read(y), s.Read(dx), s.Read(dw));
        }
    }

    private static (long Forward, long Input, long Weights) Count(Device d, int n, int c, int k, ConvGeometry g)
    {
        int h = 7, w = 6, p = g.OutH(h), q = g.OutW(w);
        using var s = new BuffersScope(d);
        Tensor x = s.Tensor(n, c, h, w, 0.5f), y = s.Tensor(n, k, p, q, 0f), dx = s.Tensor(n, c, h, w, 0f);
        ArrayView<float> wt = s.Filled((long)k * (c / g.Groups) * g.KernelH * g.KernelW, 0.25f), dw = s.Filled(wt.Length, 0f);
        long before = d.KernelRequests;
        Conv2d.Forward(d, x, wt, default, y, g);
        long forward = d.KernelRequests - before;
        Conv2d.BackwardInput(d, y, wt, dx, g, accumulate: false);
        long input = d.KernelRequests - before - forward;
        Conv2d.BackwardParams(d, x, y, dw, default, g);
        return (forward, input, d.KernelRequests - before - forward - input);
    }

    private static float[] WeightGradient(Device d, ConvGeometry g)
    {
        const int n = 5, c = 3, k = 4, h = 6, w = 5;
        var rng = new Random(3);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        using var s = new BuffersScope(d);
        Tensor x = s.Tensor(Values(n * c * h * w), n, c, h, w), dy = s.Tensor(Values(n * k * h * w), n, k, h, w);
        ArrayView<float> dw = s.Filled(k * c * 9, float.NaN);
        Conv2d.BackwardParams(d, x, dy, dw, default, g);
        return s.Read(dw);
    }
}
