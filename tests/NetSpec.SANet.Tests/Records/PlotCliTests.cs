using System.Globalization;
using System.Text;
using NetSpec.SANet.Tests.Cli;
using SkiaSharp;

namespace NetSpec.SANet.Tests.Records;

/// <summary><c>SANet plot</c> on a run.jsonl written here: a PNG of the requested size that shows the curves.</summary>
public class PlotCliTests
{
    /// <summary>
    /// 40 logged iterations of two loss terms falling and a poly lr, and 4 validations: the panels' series are drawn
    /// in ScottPlot's first palette colours (blue 1f77b4, orange ff7f0e), so both appear as pixels of the image.
    /// </summary>
    private static string SyntheticRun()
    {
        var text = new StringBuilder();
        for (int it = 1; it <= 40; it++)
        {
            double lr = 0.01 * Math.Pow(1 - ((it - 1) / 40.0), 0.9), mask = 2.0 / it, aux = 1.0 / Math.Sqrt(it);
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{{\"type\":\"train\",\"iteration\":{it},\"lr\":{lr},\"loss\":{{\"mask\":{mask},\"aux\":{aux}}},\"total\":{mask + aux},\"seconds_per_iteration\":0.1}}\n"));
            if (it % 10 == 0)
                text.Append(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"val\",\"iteration\":{it},\"pixAcc\":{0.5 + (it / 100.0)},\"mIoU\":{it / 50.0},\"class_iou\":{{}}}}\n"));
        }

        return text.ToString();
    }

    [Fact]
    public void WritesAPngOfTheRequestedSizeShowingTheCurves()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["run.jsonl"], SyntheticRun());
        var (code, output, error) = CliRunner.Run("plot", dir.Path, "--out", dir["c.png"], "--width", "640", "--height", "480");
        Assert.True(code == 0, error + output);
        Assert.Contains("aux, mask, total and lr over 40 logged iterations, val mIoU at 4 validations", output);

        using SKBitmap png = SKBitmap.Decode(dir["c.png"]);
        Assert.NotNull(png);
        Assert.Equal((640, 480), (png.Width, png.Height));
        var colours = new HashSet<SKColor>();
        for (int y = 0; y < png.Height; y++)
        {
            for (int x = 0; x < png.Width; x++)
                colours.Add(png.GetPixel(x, y));
        }

        Assert.Contains(new SKColor(0x1f, 0x77, 0xb4), colours);
        Assert.Contains(new SKColor(0xff, 0x7f, 0x0e), colours);
    }

    [Fact]
    public void ReplacesAnEarlierPlotOnlyWithForce()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["run.jsonl"], SyntheticRun());
        File.WriteAllText(dir["curves.png"], "an earlier plot");
        var refused = CliRunner.Run("plot", dir.Path);
        Assert.Equal(2, refused.Code);
        Assert.Equal("an earlier plot", File.ReadAllText(dir["curves.png"]));

        var forced = CliRunner.Run("plot", dir.Path, "--force", "--width", "300", "--height", "200");
        Assert.True(forced.Code == 0, forced.Error);
        using SKBitmap png = SKBitmap.Decode(dir["curves.png"]);
        Assert.Equal((300, 200), (png.Width, png.Height));
    }

    /// <summary>A last line cut short (a run killed while writing it) is skipped with a note, not an error.</summary>
    [Fact]
    public void SkipsALastLineCutShort()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["run.jsonl"], SyntheticRun() + "{\"type\":\"train\",\"iter");
        var (code, output, error) = CliRunner.Run("plot", dir.Path);
        Assert.True(code == 0, error);
        Assert.Contains($"note: {dir["run.jsonl"]}:45: the last line is cut short", error);
        Assert.Contains("over 40 logged iterations", output);
    }
}
