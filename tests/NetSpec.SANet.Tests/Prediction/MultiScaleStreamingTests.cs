using NetSpec.Networks;
using NetSpec.Runtime;
using NetSpec.Runtime.Prediction;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Prediction;

/// <summary>
/// Multi-scale and flipped prediction streams: no whole-image map at a scaled size, only the (K, H, W) sum, and the
/// sum is the one whole maps give (resize, mirror, window average, mirror back, resize back, add), bit for bit.
/// </summary>
public sealed class MultiScaleStreamingTests : IDisposable
{
    private const int K = 6, Window = 32, Stride = 21;
    private readonly Device device = Device.Create("cpu");

    private static float[] Image(int height, int width, int seed)
    {
        var random = new Random(seed);
        byte[] rgb = new byte[height * width * 3];
        random.NextBytes(rgb);
        return Normalization.ImageNet.ToPlanar(rgb, height, width);
    }

    /// <summary>
    /// fcn-tiny (spatial context, so every window differs) at odd sizes, scales below, at and above 1 (rounded sizes
    /// neither a multiple of the stride nor of the window), with and without flip: the streamed sum equals the
    /// whole-map computation (<see cref="WholeMaps"/>), every float.
    /// </summary>
    [Fact]
    public void StreamedSumIsTheWholeMapSumBitForBit()
    {
        using var net = new FcnTiny(device);
        net.InitializeParameters(5);
        const int h = 45, w = 58;
        float[] image = Image(h, w, 7);
        foreach (bool flip in new[] { true, false })
        {
            var options = new PredictionOptions(Window, Stride, [0.5, 0.75, 1.0, 1.3], flip);
            float[] streamed = new SegmentationPredictor(net, options).Logits(image, h, w);
            Assert.Equal(WholeMaps(net, options, image, h, w), streamed);
        }
    }

    /// <summary>
    /// 3 scales with flip on a 120 × 160 image. What the predictor itself allocates (the network's own allocations
    /// measured apart) is at most: the (K, H, W) sum; per pass (scale × flip) at its scaled size sh × sw, a ring of K
    /// window-height rows and its hit counts (K + 1)·win·sw, two finished rows 2·K·sw, one window's input and logits
    /// (3 + K)·win², and bilinear taps (12 bytes each) for sh + sw + H + W positions; and 16 KiB a pass for array headers
    /// and iterators. Whole maps at the scaled size (the sum, its mirror, the resized and mirrored inputs: 2·(K + 3)·sh·sw
    /// floats at scale 1.5 alone, about 4.5 times the sum) do not fit under it.
    /// </summary>
    [Fact]
    public void ThreeScalesWithFlipAllocateTheSumAndOneWindowRowAPass()
    {
        const int h = 120, w = 160;
        double[] scales = [0.5, 1.0, 1.5];
        using var pixel = new PixelNet(device, "t", K);
        pixel.InitializeParameters(3);
        var net = new AllocationMeter(pixel);
        var predictor = new SegmentationPredictor(net, new PredictionOptions(Window, Stride, scales, true));
        float[] image = Image(h, w, 8);
        predictor.Logits(image, h, w); // once for the JIT and the network's buffers
        net.Bytes = 0;

        long before = GC.GetAllocatedBytesForCurrentThread();
        predictor.Logits(image, h, w);
        long own = GC.GetAllocatedBytesForCurrentThread() - before - net.Bytes;

        long bound = 4L * K * h * w;
        foreach (double scale in scales)
        {
            var (sh, sw) = PredictionOptions.ScaledSize(h, w, scale);
            long pass = (4L * (K + 1) * Window * sw) + (4L * 2 * K * sw) + (4L * (3 + K) * Window * Window) + (12L * (sh + sw + h + w)) + (16 * 1024);
            bound += 2 * pass; // plain and mirrored
        }

        Assert.True(own <= bound, $"the predictor allocated {own:N0} bytes; the bound is {bound:N0}");
        Assert.True(own >= 4L * K * h * w, $"{own:N0} bytes: less than the sum itself, so the measurement is wrong");
    }

    /// <summary>The old whole-map computation: each scale and flip as full (C, sh, sw) maps, then resized back and added.</summary>
    private static float[] WholeMaps(INetwork net, PredictionOptions options, float[] image, int h, int w)
    {
        float[] total = new float[K * h * w];
        foreach (double scale in options.Scales)
        {
            var (sh, sw) = PredictionOptions.ScaledSize(h, w, scale);
            float[] scaled = PlanarResize.Bilinear(image, 3, h, w, sh, sw);
            foreach (bool flip in options.Flip ? new[] { false, true } : [false])
            {
                float[] input = flip ? PlanarResize.FlipHorizontal(scaled, 3, sh, sw) : scaled;
                float[] logits = Windows(net, options, input, sh, sw);
                if (flip)
                    logits = PlanarResize.FlipHorizontal(logits, K, sh, sw);
                float[] back = PlanarResize.Bilinear(logits, K, sh, sw, h, w);
                for (int i = 0; i < total.Length; i++)
                    total[i] += back[i];
            }
        }

        return total;
    }

    /// <summary>(K, h, w): each window's logits added in window order, divided by the windows covering the pixel.</summary>
    private static float[] Windows(INetwork net, PredictionOptions options, float[] image, int h, int w)
    {
        int win = options.Window;
        net.Prepare(1, win, win, training: false);
        float[] sum = new float[K * h * w], window = new float[3 * win * win];
        int[] hits = new int[h * w];
        foreach (int top in PredictionOptions.WindowStarts(h, win, options.Stride))
        {
            foreach (int left in PredictionOptions.WindowStarts(w, win, options.Stride))
            {
                for (int c = 0; c < 3; c++)
                {
                    for (int y = 0; y < win; y++)
                    {
                        for (int x = 0; x < win; x++)
                            window[(c * win * win) + (y * win) + x] = top + y < h && left + x < w ? image[(c * h * w) + ((top + y) * w) + left + x] : options.Norm.Black(c);
                    }
                }

                DeviceData.Upload<float>(net.Image.View, window);
                net.Forward(training: false);
                net.Device.Synchronize();
                float[] logits = DeviceData.Download(net.Output("mask").View);
                for (int y = 0; y < Math.Min(win, h - top); y++)
                {
                    for (int x = 0; x < Math.Min(win, w - left); x++)
                    {
                        hits[((top + y) * w) + left + x]++;
                        for (int c = 0; c < K; c++)
                            sum[(c * h * w) + ((top + y) * w) + left + x] += logits[(c * win * win) + (y * win) + x];
                    }
                }
            }
        }

        for (int i = 0; i < sum.Length; i++)
            sum[i] /= hits[i % (h * w)];
        return sum;
    }

    public void Dispose() => device.Dispose();

    /// <summary>Passes every call to the network and counts the bytes this thread allocates inside them (the network's, not the predictor's).</summary>
    private sealed class AllocationMeter(INetwork inner) : INetwork
    {
        public long Bytes { get; set; }

        public string SpecName => inner.SpecName;

        public int NumClasses => inner.NumClasses;

        public int IgnoreLabel => inner.IgnoreLabel;

        public Device Device => inner.Device;

        public IReadOnlyList<Parameter> Parameters => inner.Parameters;

        public IReadOnlyList<string> OutputNames => inner.OutputNames;

        public int BatchSize => inner.BatchSize;

        public int Height => inner.Height;

        public int Width => inner.Width;

        public Tensor Image => inner.Image;

        public LabelMap Labels => inner.Labels;

        public ulong StepSeed { get => inner.StepSeed; set => inner.StepSeed = value; }

        public long PlannedPeakBytes => inner.PlannedPeakBytes;

        public void InitializeParameters(ulong seed) => inner.InitializeParameters(seed);

        public void Prepare(int batch, int height, int width, bool training)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            inner.Prepare(batch, height, width, training);
            Bytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        public void Forward(bool training)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            inner.Forward(training);
            Bytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        public LossValues ReadLosses() => inner.ReadLosses();

        public void Backward() => inner.Backward();

        public Tensor Output(string name) => inner.Output(name);

        public void Dispose() => inner.Dispose();
    }
}
