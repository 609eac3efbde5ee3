using NetSpec.Runtime;
using NetSpec.Runtime.Prediction;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Prediction;

/// <summary>
/// <see cref="SegmentationPredictor.OnWindow"/>: progress inside one image. Every window's forward pass is reported once,
/// right after it runs, in order, each report carrying the total that <see cref="PredictionOptions.CountWindows"/> gives
/// before anything runs.
/// </summary>
public sealed class WindowProgressTests : IDisposable
{
    private readonly Device device = Device.Create("cpu");

    public void Dispose() => device.Dispose();

    private static byte[] Rgb(int height, int width) => Enumerable.Range(0, height * width * 3).Select(i => (byte)(i * 37)).ToArray();

    /// <summary>The windows in the order the predictor documents: scale by scale, plain then mirrored, rows, then columns.</summary>
    private static List<(double Scale, bool Flip, int Top, int Left)> Expected(PredictionOptions options, int height, int width)
    {
        var windows = new List<(double, bool, int, int)>();
        foreach (double scale in options.Scales)
        {
            var (h, w) = PredictionOptions.ScaledSize(height, width, scale);
            foreach (bool flip in options.Flip ? new[] { false, true } : [false])
            {
                foreach (int top in PredictionOptions.WindowStarts(h, options.Window, options.Stride))
                {
                    foreach (int left in PredictionOptions.WindowStarts(w, options.Window, options.Stride))
                        windows.Add((scale, flip, top, left));
                }
            }
        }

        return windows;
    }

    [Theory]
    [InlineData(30, 40, 16, 11, new[] { 0.5, 1.0, 1.5 }, true)] // Predict: full-image logits over scales and flips
    [InlineData(50, 70, 16, 10, new[] { 1.0 }, false)] // PredictClasses at one scale streams row of windows by row
    public void EveryWindowIsReportedOnceInOrderWithTheTotalKnownFirst(int height, int width, int window, int stride, double[] scales, bool flip)
    {
        using var net = new PixelNet(device, "pixel", 4);
        net.InitializeParameters(3);
        var options = new PredictionOptions(window, stride, scales, flip);
        var predictor = new SegmentationPredictor(net, options);
        long total = options.CountWindows(height, width); // before anything runs
        var reports = new List<(WindowProgress Report, int Forwards)>();
        predictor.OnWindow = report => reports.Add((report, net.EvalForwards.Count));

        if (flip)
            predictor.Predict(Rgb(height, width), height, width);
        else
            predictor.PredictClasses(Rgb(height, width), height, width);

        var expected = Expected(options, height, width);
        Assert.True(expected.Count > (flip ? 12 : 20)); // several rows and columns of windows, not one
        Assert.Equal(expected.Count, total);
        Assert.Equal(total, net.EvalForwards.Count);
        Assert.Equal(expected, reports.Select(r => (r.Report.Scale, r.Report.Flip, r.Report.Top, r.Report.Left)));
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), reports.Select(r => r.Report.Done));
        Assert.All(reports, r => Assert.Equal(total, r.Report.Total));
        Assert.All(reports, r => Assert.Equal(r.Report.Done, r.Forwards)); // reported right after its own forward pass
    }

    /// <summary>A second image starts counting from 1 again, with its own total.</summary>
    [Fact]
    public void EachCallCountsItsOwnWindows()
    {
        using var net = new PixelNet(device, "pixel", 4);
        net.InitializeParameters(3);
        var predictor = new SegmentationPredictor(net, new PredictionOptions(16, 8, [1.0], false));
        var reports = new List<WindowProgress>();
        predictor.OnWindow = reports.Add;
        predictor.PredictClasses(Rgb(40, 40), 40, 40);
        predictor.PredictClasses(Rgb(16, 16), 16, 16);
        Assert.Equal([.. Enumerable.Range(1, 16).Select(i => (i, 16)), (1, 1)], reports.Select(r => ((int)r.Done, (int)r.Total)));
    }
}
