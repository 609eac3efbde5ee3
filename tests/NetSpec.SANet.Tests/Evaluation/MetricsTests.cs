using NetSpec.Samples.SANet.Evaluation;

namespace NetSpec.SANet.Tests.Evaluation;

public class MetricsTests
{
    [Fact]
    public void TwoClassMatrixGivesHandComputedMetrics()
    {
        // truth 0: 3 right, 1 as class 1; truth 1: 2 as class 0, 4 right.
        var m = new ConfusionMatrix(2);
        m.Add(0, 0, 3);
        m.Add(0, 1, 1);
        m.Add(1, 0, 2);
        m.Add(1, 1, 4);
        var metrics = m.Metrics();
        Assert.Equal(0.7, metrics.PixelAccuracy, 12);
        Assert.Equal(3.0 / 6.0, metrics.ClassIou[0], 12); // 3 / (4 + 5 - 3)
        Assert.Equal(4.0 / 7.0, metrics.ClassIou[1], 12); // 4 / (6 + 5 - 4)
        Assert.Equal(((3.0 / 6.0) + (4.0 / 7.0)) / 2, metrics.MeanIou, 12);
    }

    [Fact]
    public void LabelMapsSumOverImagesAndSkipIgnore()
    {
        var m = new ConfusionMatrix(3);
        m.Add([0, 1, 2, 255, 2], [0, 2, 2, 1, 2]);
        m.Add([1, 1], [1, 1]);
        var metrics = m.Metrics();
        // Non-ignored: 6 pixels, 5 correct (0→0, 2→2, 2→2, 1→1, 1→1), one 1→2.
        Assert.Equal(5.0 / 6.0, metrics.PixelAccuracy, 12);
        Assert.Equal(1.0, metrics.ClassIou[0], 12);
        Assert.Equal(2.0 / 3.0, metrics.ClassIou[1], 12);
        Assert.Equal(2.0 / 3.0, metrics.ClassIou[2], 12);
        Assert.Equal(0, m[1, 0]);
        Assert.Equal(1, m[1, 2]);
    }

    [Fact]
    public void AbsentClassCountsAsZeroAndMiou60ScalesBy59Over60()
    {
        var m = new ConfusionMatrix(59);
        m.Add(0, 0, 10);
        var metrics = m.Metrics();
        Assert.Equal(1.0, metrics.PixelAccuracy, 12);
        Assert.Equal(1.0 / 59, metrics.MeanIou, 12);
        Assert.Equal(1.0 / 60, metrics.MeanIou60, 12);
    }

    [Fact]
    public void ArgMaxPicksTheLargestLogitPerPixel()
    {
        // 3 classes, 2 pixels, planar (K,P): pixel 0 → class 2, pixel 1 → class 0.
        float[] logits = [0.1f, 5f, 0.2f, 1f, 3f, -1f];
        Assert.Equal([2, 0], Predictor.ArgMax(logits, 3, 2));
    }
}
