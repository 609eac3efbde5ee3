using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Cli;
using NetSpec.Samples.SANet.Data.Disk;
using NetSpec.Samples.SANet.Imaging;
using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>predict as a user meets it: .jpeg files, a line per image with its time, overlays with a class legend.</summary>
public class PredictLegendTests
{
    private static string Checkpoint(TempDir dir)
    {
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var train = CliRunner.Run("train", "--spec", spec, "--iters", "1", "--batch", "1", "--crop", "16", "--val-every", "100",
            "--work-dir", dir["work"], "--device", "cpu");
        Assert.True(train.Code == 0, train.Error);
        return dir["work/last.safetensors"];
    }

    [Fact]
    public void JpegFilesArePredictedWithALinePerImageAndALegendUnderTheOverlay()
    {
        using var dir = new TempDir();
        string checkpoint = Checkpoint(dir);
        TestImages.Jpeg(dir["in/a.jpeg"], 160, 120, (x, y) => ((byte)x, (byte)y, 40));
        TestImages.Jpeg(dir["in/b.JPEG"], 160, 120, (x, y) => ((byte)y, 90, (byte)x));
        var (code, output, error) = CliRunner.Run("predict", "--checkpoint", checkpoint, "--input", dir["in"], "--out", dir["out"],
            "--window", "16", "--device", "cpu");
        Assert.True(code == 0, error + output);
        Assert.Equal(["a.png", "a_overlay.png", "b.png", "b_overlay.png"], Directory.GetFiles(dir["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Matches(@"(?m)^\[1/2\] .*a\.jpeg \(160×120, \d+\.\d s\) → .*a\.png, .*a_overlay\.png$", output);
        Assert.Matches(@"(?m)^\[2/2\] .*b\.JPEG ", output);

        var (w, h, overlay) = ImageCodec.DecodeRgb(dir["out/a_overlay.png"]);
        Assert.Equal(160, w);
        Assert.True(h > 120, $"overlay {w}×{h}: no legend under the 160×120 image");

        // The legend holds the swatch of the class the prediction covers most, and text (dark pixels) beside it.
        var label = LabelDecoder.Read(dir["out/a.png"], 6);
        int top = label.Ids.GroupBy(b => b).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        var (r, g, b) = VocPalette.Colour(top);
        var legend = Enumerable.Range(120 * w, (h - 120) * w).Select(i => (overlay[i * 3], overlay[(i * 3) + 1], overlay[(i * 3) + 2])).ToList();
        Assert.True(legend.Count(p => p == (r, g, b)) >= 16, $"no swatch of class {top} ({r},{g},{b}) in the legend");
        Assert.Contains(legend, p => p.Item1 < 64 && p.Item2 < 64 && p.Item3 < 64 && (r, g, b) != (0, 0, 0));
    }

    [Fact]
    public void NoLegendKeepsTheOverlayAtTheImagesSize()
    {
        using var dir = new TempDir();
        string checkpoint = Checkpoint(dir);
        TestImages.Png(dir["a.png"], 40, 30, 10);
        var (code, _, error) = CliRunner.Run("predict", "--checkpoint", checkpoint, "--input", dir["a.png"], "--out", dir["out"],
            "--window", "16", "--device", "cpu", "--no-legend");
        Assert.True(code == 0, error);
        var (w, h, _) = ImageCodec.DecodeRgb(dir["out/a_overlay.png"]);
        Assert.Equal((40, 30), (w, h));
    }

    [Fact]
    public void LegendEntriesAreTheClassesPresentLargestFirst()
    {
        byte[] ids = [3, 3, 3, 0, 0, 1, 3, 0];
        Assert.Equal([(3, "bird 50.0%"), (0, "background 37.5%"), (1, "aeroplane 12.5%")], OverlayLegend.Entries(ids, ClassLists.Voc));
        Assert.Equal([(7, "class 7 100.0%")], OverlayLegend.Entries([7, 7], []));
    }

    [Fact]
    public void LegendNamesComeFromTheCheckpointWhenItRecordsThem()
    {
        Assert.Equal(["sky", "sea"], PredictCommand.ClassNames(new CheckpointMetadata(ClassNames: ["sky", "sea"]), "c.safetensors", 2));
        Assert.Equal("tvmonitor", PredictCommand.ClassNames(new CheckpointMetadata(), "c.safetensors", 21)[20]);
        Assert.Equal("class 5", PredictCommand.ClassNames(new CheckpointMetadata(), "c.safetensors", 6)[5]);
    }

    /// <summary>A narrow image gets a legend as wide as its widest entry, not a cut one.</summary>
    [Fact]
    public void ANarrowImagesLegendWidensTheOverlay()
    {
        var (w, h, rgb) = OverlayLegend.Append(8, 8, new byte[8 * 8 * 3], new byte[64], ClassLists.Voc);
        Assert.True(w > 8 && h > 8);
        Assert.Equal(w * h * 3, rgb.Length);
    }
}
