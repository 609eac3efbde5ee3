using ScottPlot;
using SkiaSharp;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// Draws a run's curves (<see cref="RunCurves"/>) with ScottPlot into one PNG of three panels stacked, sharing the
/// iteration axis: the loss terms and their total, the lr (poly schedule), and val mIoU and pixAcc in percent.
/// </summary>
public static class CurvesPlot
{
    private const string FontName = "SANet plot font";

    /// <summary>The PNG's bytes. With <paramref name="fontFile"/> null the panels have no text (see <see cref="FontFile"/>).</summary>
    public static byte[] Png(RunCurves curves, string title, int width, int height, string? fontFile)
    {
        if (fontFile is not null)
            Fonts.AddFontFile(FontName, fontFile);
        Plot[] panels = [Losses(curves, title), Lr(curves), Validation(curves)];
        double maxIteration = new[] { curves.Lr, curves.MeanIou }.SelectMany(s => s).Select(p => p.X).DefaultIfEmpty(1).Max();
        for (int i = 0; i < panels.Length; i++)
        {
            Plot panel = panels[i];
            // The same left margin in every panel, so that their iteration axes line up.
            panel.Layout.Fixed(new PixelPadding(90, 30, 55, i == 0 ? 45 : 15));
            panel.Axes.SetLimitsX(0, Math.Max(1, maxIteration));
            panel.XLabel("iteration");
            if (fontFile is not null)
                panel.Font.Set(FontName);
        }

        using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException($"cannot create a {width}×{height} surface");
        surface.Canvas.Clear(SKColors.White);
        // The loss panel, with the title, gets the larger share.
        float[] shares = [0.42f, 0.26f, 0.32f];
        int top = 0;
        for (int i = 0; i < panels.Length; i++)
        {
            // Each panel on its own surface: a plot's render clears the whole canvas it is given.
            int bottom = i == panels.Length - 1 ? height : (int)(top + (shares[i] * height));
            using var panel = SKSurface.Create(new SKImageInfo(width, bottom - top)) ?? throw new InvalidOperationException($"cannot create a {width}×{bottom - top} surface");
            panels[i].Render(panel.Canvas, width, bottom - top);
            using SKImage drawn = panel.Snapshot();
            surface.Canvas.DrawImage(drawn, 0, top, new SKSamplingOptions(SKFilterMode.Nearest));
            top = bottom;
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static Plot Losses(RunCurves curves, string title)
    {
        var plot = new Plot();
        plot.Title(title);
        foreach (var (name, points) in curves.Losses)
        {
            if (points.Count == 0)
                continue;
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = name;
            line.MarkerSize = points.Count > 50 ? 0 : 4;
            if (name == "total")
                line.LineWidth = 2.5f;
        }

        plot.YLabel("loss");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot Lr(RunCurves curves)
    {
        var plot = new Plot();
        var points = curves.Lr.Where(p => double.IsFinite(p.Y)).ToList();
        if (points.Count > 0)
        {
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = "lr (backbone)";
            line.MarkerSize = points.Count > 50 ? 0 : 4;
        }

        plot.YLabel("lr");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static Plot Validation(RunCurves curves)
    {
        var plot = new Plot();
        foreach (var (name, points) in new[] { ("val mIoU %", curves.MeanIou), ("val pixAcc %", curves.PixelAccuracy) })
        {
            if (points.Count == 0)
                continue;
            var line = plot.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = name;
            line.MarkerSize = 6;
        }

        plot.Axes.SetLimitsY(0, 100);
        plot.YLabel("val %");
        plot.ShowLegend(Alignment.UpperLeft); // scores start low and rise: the upper left is the emptiest corner
        return plot;
    }
}
