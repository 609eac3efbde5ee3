using NetSpec.Networks;
using NetSpec.Runtime;
using NetSpec.Runtime.Prediction;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Prediction;

/// <summary>
/// The runtime's <see cref="SegmentationPredictor"/> on a generated network with spatial context (fcn-tiny: a dilated
/// ResNet, 3×3 convolutions, an FCN head, bilinear upsampling) and on PixelNet (per pixel, no context).
/// </summary>
public sealed class SegmentationPredictorTests : IDisposable
{
    private const int K = 6, Window = 32;
    private readonly Device device = Device.Create("cpu");

    private static byte[] RandomRgb(int height, int width, int seed)
    {
        var random = new Random(seed);
        byte[] rgb = new byte[height * width * 3];
        random.NextBytes(rgb);
        return rgb;
    }

    /// <summary>One eval forward of fcn-tiny on a normalised (3, win, win) image: the reference.</summary>
    private static float[] Forward(INetwork net, float[] image, int size)
    {
        net.Prepare(1, size, size, training: false);
        DeviceData.Upload<float>(net.Image.View, image);
        net.Forward(training: false);
        net.Device.Synchronize();
        return DeviceData.Download(net.Output("mask").View);
    }

    private FcnTiny Fcn()
    {
        var net = new FcnTiny(device);
        net.InitializeParameters(5);
        return net;
    }

    /// <summary>
    /// An image the size of the window is one window: one forward, each pixel covered once (the average divides by 1),
    /// scale 1 resizes nothing. So the logits are that forward's, bit for bit.
    /// </summary>
    [Fact]
    public void AnImageTheSizeOfTheWindowGivesOneForwardBitForBit()
    {
        using FcnTiny net = Fcn();
        byte[] rgb = RandomRgb(Window, Window, 1);
        float[] image = Normalization.ImageNet.ToPlanar(rgb, Window, Window);
        var predictor = new SegmentationPredictor(net, PredictionOptions.SingleScale(Window));

        float[] expected = Forward(net, image, Window);
        Assert.Equal(expected, predictor.Logits(image, Window, Window));
        Assert.Equal(SegmentationPredictor.ArgMax(expected, K, Window * Window), predictor.PredictClasses(rgb, Window, Window));
        Assert.True(expected.Distinct().Count() > 100); // a real, varied output
    }

    /// <summary>
    /// An image smaller than the window is padded with black (the normalised value of byte 0) to one window: its logits
    /// are that padded forward's, cropped, bit for bit (not a forward at the image's own size: the network sees the padding).
    /// </summary>
    [Fact]
    public void AnImageSmallerThanTheWindowIsOnePaddedForwardCropped()
    {
        const int h = 20, w = 27;
        using FcnTiny net = Fcn();
        byte[] rgb = RandomRgb(h, w, 2);
        byte[] padded = new byte[Window * Window * 3]; // black beyond the image
        for (int y = 0; y < h; y++)
            Array.Copy(rgb, y * w * 3, padded, y * Window * 3, w * 3);
        float[] whole = Forward(net, Normalization.ImageNet.ToPlanar(padded, Window, Window), Window);
        float[] expected = new float[K * h * w];
        for (int c = 0; c < K; c++)
        {
            for (int y = 0; y < h; y++)
                Array.Copy(whole, (((c * Window) + y) * Window), expected, ((c * h) + y) * w, w);
        }

        var predictor = new SegmentationPredictor(net, PredictionOptions.SingleScale(Window));
        Assert.Equal(expected, predictor.Logits(Normalization.ImageNet.ToPlanar(rgb, h, w), h, w));
    }

    /// <summary>
    /// Larger than the window, with a per-pixel network (PixelNet: each pixel's logits depend on that pixel alone), every
    /// window gives a pixel the same logits v as one forward over the whole image. The average of n copies of v is v up to
    /// the rounding of n − 1 additions and one division: |error| ≤ n·2^-24·|v|, n ≤ ⌈32/11⌉² = 9 windows here.
    /// (A network with spatial context sees different padding and neighbours in each window, so no equality is claimed.)
    /// </summary>
    [Fact]
    public void ALargerImageStitchesToTheWholeImageForwardOfAPerPixelNetwork()
    {
        const int h = 70, w = 90;
        using var net = new PixelNet(device, "t", K);
        net.InitializeParameters(3);
        float[] image = Normalization.ImageNet.ToPlanar(RandomRgb(h, w, 3), h, w);
        net.Prepare(1, h, w, training: false);
        DeviceData.Upload<float>(net.Image.View, image);
        net.Forward(training: false);
        float[] whole = DeviceData.Download(net.Output("mask").View);

        float[] windows = new SegmentationPredictor(net, new PredictionOptions(Window, 11, [1.0], false)).Logits(image, h, w);
        for (int i = 0; i < whole.Length; i++)
            Assert.True(Math.Abs(whole[i] - windows[i]) <= 9 * Math.ScaleB(1, -24) * Math.Abs(whole[i]), $"{i}: {whole[i]} vs {windows[i]}");
    }

    /// <summary>
    /// Flip adds f(x) and flip(f(flip x)). For the mirrored image that is f(flip x) + flip(f(x)), whose mirror holds the
    /// same two terms per pixel in the other order: float addition commutes, so predicting the mirror image gives the
    /// mirror of the prediction bit for bit, for any network (fcn-tiny is not mirror-symmetric itself) and any windows.
    /// </summary>
    [Fact]
    public void FlipAveragingIsExactlyMirrorSymmetric()
    {
        const int h = 40, w = 52;
        using FcnTiny net = Fcn();
        float[] image = Normalization.ImageNet.ToPlanar(RandomRgb(h, w, 4), h, w);
        float[] mirror = PlanarResize.FlipHorizontal(image, 3, h, w);
        var flip = new SegmentationPredictor(net, new PredictionOptions(Window, 21, [1.0], true));
        var plain = new SegmentationPredictor(net, new PredictionOptions(Window, 21, [1.0], false));

        Assert.Equal(PlanarResize.FlipHorizontal(flip.Logits(image, h, w), K, h, w), flip.Logits(mirror, h, w));
        Assert.NotEqual(PlanarResize.FlipHorizontal(plain.Logits(image, h, w), K, h, w), plain.Logits(mirror, h, w)); // the network alone is not
    }

    /// <summary>
    /// Scales 0.5, 1, 1.5 of a 30 × 40 image: 15 × 20 (one padded window), 30 × 40 (rows start at 0; columns at 0, 8:
    /// two windows), 45 × 60 (rows 0, 13; columns 0, 21, 28: six windows); 9 windows, twice with flip: 18 forwards.
    /// </summary>
    [Fact]
    public void MultiScaleRunsTheWindowsOfEachScaledSize()
    {
        Assert.Equal((15, 20), PredictionOptions.ScaledSize(30, 40, 0.5));
        Assert.Equal((45, 60), PredictionOptions.ScaledSize(30, 40, 1.5));
        Assert.Equal((1, 1), PredictionOptions.ScaledSize(1, 1, 0.25)); // never empty
        Assert.Equal([0, 8], PredictionOptions.WindowStarts(40, Window, 21));
        Assert.Equal([0, 21, 28], PredictionOptions.WindowStarts(60, Window, 21));

        using var net = new PixelNet(device, "t", K);
        net.InitializeParameters(5);
        var predictor = new SegmentationPredictor(net, new PredictionOptions(Window, 21, [0.5, 1.0, 1.5], true));
        SegmentationResult result = predictor.Predict(RandomRgb(30, 40, 5), 30, 40);
        Assert.Equal(Enumerable.Repeat((Window, Window), 18), net.EvalForwards); // every forward one window
        Assert.Equal(K * 30 * 40, result.Probabilities.Length);
    }

    /// <summary>Probabilities are a softmax per pixel (sum 1 within float rounding of K terms) whose arg-max is the class map.</summary>
    [Fact]
    public void ProbabilitiesSumToOneAndTheirArgMaxIsTheClassMap()
    {
        const int h = 36, w = 44;
        using FcnTiny net = Fcn();
        var predictor = new SegmentationPredictor(net, PredictionOptions.MultiScale(Window, flip: true) with { Scales = [0.75, 1.0] });
        SegmentationResult result = predictor.Predict(RandomRgb(h, w, 6), h, w);
        for (int p = 0; p < h * w; p++)
        {
            float[] column = Enumerable.Range(0, K).Select(c => result.Probability(c, p / w, p % w)).ToArray();
            Assert.InRange(column.Sum(), 1 - (K * 1e-6f), 1 + (K * 1e-6f));
            Assert.Equal(result.Classes[p], Array.IndexOf(column, column.Max()));
        }
    }

    [Fact]
    public void BadOptionsAreRefusedByName()
    {
        using var net = new PixelNet(device, "t", K);
        Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => new SegmentationPredictor(net, new PredictionOptions(0, 1, [1.0], false))).Message);
        Assert.Contains("scales", Assert.Throws<ArgumentException>(() => new SegmentationPredictor(net, new PredictionOptions(8, 4, [], false))).Message);
        Assert.Contains("has no output 'logits'", Assert.Throws<ArgumentException>(() => new SegmentationPredictor(net, PredictionOptions.SingleScale(8), "logits")).Message);
    }

    public void Dispose() => device.Dispose();
}
