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
}
