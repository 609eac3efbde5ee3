using NetSpec.Samples.SANet.Data.Synthetic;
using NetSpec.Samples.SANet.Evaluation;

namespace NetSpec.SANet.Tests.Data;

public class SyntheticDataTests
{
    [Fact]
    public void SameSeedAndIndexGiveTheSameScene()
    {
        var a = SceneGenerator.Generate(5, 0, 3, 64);
        var b = SceneGenerator.Generate(5, 0, 3, 64);
        Assert.Equal(a.Rgb, b.Rgb);
        Assert.Equal(a.Labels, b.Labels);
    }

    [Fact]
    public void DifferentIndicesSplitsAndSeedsGiveDifferentScenes()
    {
        var baseline = SceneGenerator.Generate(5, 0, 3, 64);
        Assert.NotEqual(baseline.Rgb, SceneGenerator.Generate(5, 0, 4, 64).Rgb);
        Assert.NotEqual(baseline.Rgb, SceneGenerator.Generate(5, 1, 3, 64).Rgb);
        Assert.NotEqual(baseline.Rgb, SceneGenerator.Generate(6, 0, 3, 64).Rgb);
    }

    [Fact]
    public void TrainSplitHoldsEveryClassAndScenesHoldSeveral()
    {
        var train = SyntheticDataset.Train();
        Assert.Equal(400, train.Count);
        Assert.Equal(100, SyntheticDataset.Val().Count);
        long[] pixels = new long[6];
        for (int i = 0; i < 40; i++)
        {
            var s = train.Load(i);
            Assert.Equal(96 * 96, s.Labels.Length);
            Assert.All(s.Labels, l => Assert.InRange(l, 0, 5));
            Assert.True(s.Labels.Distinct().Count() >= 2, $"scene {i} has a single class");
            foreach (byte l in s.Labels)
                pixels[l]++;
        }

        for (int k = 1; k < 6; k++)
            Assert.True(pixels[k] > 96 * 96, $"class {ShapeKind.Names[k]} covers only {pixels[k]} pixels in 40 scenes");
    }

    [Fact]
    public void EveryObjectClassUsesSeveralColours()
    {
        // Colour must not identify a class: count distinct dominant palette colours per class.
        var train = SyntheticDataset.Train();
        var colours = Enumerable.Range(0, 6).Select(_ => new HashSet<int>()).ToArray();
        for (int i = 0; i < 60; i++)
        {
            var s = train.Load(i);
            for (int p = 0; p < s.Labels.Length; p += 7)
                colours[s.Labels[p]].Add(((s.Rgb[p * 3] >> 6) << 4) | ((s.Rgb[(p * 3) + 1] >> 6) << 2) | (s.Rgb[(p * 3) + 2] >> 6));
        }

        for (int k = 1; k < 6; k++)
            Assert.True(colours[k].Count >= 8, $"{ShapeKind.Names[k]} shows only {colours[k].Count} coarse colours");
    }

    [Fact]
    public void ColourLookupBaselineCannotSeparateTheClasses()
    {
        var metrics = ColourBaseline.Fit(SyntheticDataset.Train(), 6).Evaluate(SyntheticDataset.Val(), 6).Metrics();
        Assert.InRange(metrics.MeanIou, 0.0, 0.4);
        Assert.True(metrics.PixelAccuracy > 0.5, "background should still be found by colour");
    }
}
