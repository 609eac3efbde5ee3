using NetSpec.Runtime;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Evaluation;

/// <summary>
/// PixelNet is per-pixel (translation and flip equivariant), so sliding windows must stitch to exactly the
/// logits of one window covering the image, and flip + un-flip must add the same logits twice.
/// </summary>
public class PredictorTests
{
    private static SegmentationSample RandomImage(int width, int height)
    {
        var random = new SeededRandom(9);
        byte[] rgb = Enumerable.Range(0, width * height * 3).Select(_ => (byte)random.Next(256)).ToArray();
        return new SegmentationSample("r", width, height, rgb, new byte[width * height]);
    }

    [Fact]
    public void SlidingWindowsStitchToTheWholeImageLogits()
    {
        using Device device = Device.Create("cpu");
        using var net = new PixelNet(device, "t", 4);
        net.InitializeParameters(1);
        var image = RandomImage(80, 60);

        float[] whole = new Predictor(net, new EvalOptions(96, 64, [1.0], false)).Logits(image);
        float[] windows = new Predictor(net, new EvalOptions(32, 21, [1.0], false)).Logits(image);

        Assert.Equal(4 * 80 * 60, windows.Length);
        for (int i = 0; i < whole.Length; i++)
            Assert.Equal(whole[i], windows[i], 4);
    }

    [Fact]
    public void FlipAddsTheUnflippedLogitsAgain()
    {
        using Device device = Device.Create("cpu");
        using var net = new PixelNet(device, "t", 3);
        net.InitializeParameters(2);
        var image = RandomImage(40, 24);

        float[] plain = new Predictor(net, new EvalOptions(32, 21, [1.0], false)).Logits(image);
        float[] flipped = new Predictor(net, new EvalOptions(32, 21, [1.0], true)).Logits(image);
        for (int i = 0; i < plain.Length; i++)
            Assert.Equal(2 * plain[i], flipped[i], 4);
    }

    /// <summary>The streaming path (single scale, no flip) gives the ids of the full-image logits, bit for bit.</summary>
    [Theory]
    [InlineData(80, 60, 32, 21)] // several rows and columns of windows, the last ones flush with the edges
    [InlineData(50, 70, 16, 16)] // windows side by side, no overlap
    [InlineData(20, 12, 32, 21)] // image smaller than one window: padded
    [InlineData(97, 33, 32, 5)] // heavy overlap: up to seven windows a pixel in each direction
    public void StreamingIdsEqualTheFullImageArgMax(int width, int height, int window, int stride)
    {
        using Device device = Device.Create("cpu");
        using var net = new PixelNet(device, "t", 5);
        net.InitializeParameters(3);
        var image = RandomImage(width, height);
        var predictor = new Predictor(net, new EvalOptions(window, stride, [1.0], false));

        int[] full = Predictor.ArgMax(predictor.Logits(image), 5, width * height);
        Assert.Equal(full, predictor.Predict(image));
        Assert.True(full.Distinct().Count() > 1); // not a trivial all-one-class map
    }

    /// <summary>
    /// At 1000×1000 and K = 4, the logits path holds the K×H×W sum (16 MB) and the normalised (3, H, W) image (12 MB)
    /// besides the ring of each scale (4 × 250 × 1000 × 4 B = 4 MB) and the ids (4 MB); the class path streams ids
    /// straight from the RGB bytes with the same ring. Both run the same 25 windows of the same network, so the class
    /// path must allocate at least the sum and the normalised image fewer.
    /// </summary>
    [Fact]
    public void StreamingHoldsNoFullImageLogits()
    {
        using Device device = Device.Create("cpu");
        using var net = new PixelNet(device, "t", 4);
        net.InitializeParameters(4);
        var image = RandomImage(1000, 1000);
        var predictor = new Predictor(net, new EvalOptions(250, 250, [1.0], false));
        predictor.Predict(image); // warm up: kernels, buffers

        long before = GC.GetAllocatedBytesForCurrentThread();
        predictor.Predict(image);
        long streaming = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        Predictor.ArgMax(predictor.Logits(image), 4, 1000 * 1000);
        long full = GC.GetAllocatedBytesForCurrentThread() - before;

        long logits = 4L * 1000 * 1000 * sizeof(float), planar = 3L * 1000 * 1000 * sizeof(float);
        Assert.True(streaming + logits + planar <= full, $"streaming {streaming:N0} B, full image {full:N0} B");
    }
}
