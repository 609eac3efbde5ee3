using System.Globalization;
using SkiaSharp;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// The legend under predict's overlay: for each class the prediction holds, largest share first, its VOC colour
/// swatch, name and share of the image ("person 34.2%"), in rows as wide as the image (wider only when the image is
/// narrower than one entry). Text is drawn with the embedded DejaVu Sans (Fonts/README.md): the sample's SkiaSharp
/// finds no system fonts. Names outside printable ASCII are drawn with '?' for the characters the font lacks.
/// </summary>
public static class OverlayLegend
{
    private static readonly Lazy<SKTypeface> Typeface = new(LoadTypeface);

    /// <summary>The overlay <paramref name="rgb"/> (w×h) with the legend of <paramref name="ids"/> appended below it.</summary>
    public static (int Width, int Height, byte[] Rgb) Append(int width, int height, byte[] rgb, byte[] ids, IReadOnlyList<string> classNames)
    {
        var entries = Entries(ids, classNames);
        float size = Math.Clamp(width / 40f, 12f, 40f);
        using var font = new SKFont(Typeface.Value, size);
        float margin = MathF.Round(size * 0.6f), swatch = MathF.Round(size), gap = MathF.Round(size * 0.4f), spacing = MathF.Round(size * 1.2f);
        float lineHeight = MathF.Round(size * 1.5f);
        float[] widths = entries.Select(e => swatch + gap + font.MeasureText(e.Text)).ToArray();
        int outWidth = Math.Max(width, (int)MathF.Ceiling((2 * margin) + (widths.Length == 0 ? 0 : widths.Max())));

        // Flow the entries into rows.
        var positions = new List<(float X, int Row)>();
        float x = margin;
        int row = 0;
        foreach (float w in widths)
        {
            if (x > margin && x + w > outWidth - margin)
            {
                x = margin;
                row++;
            }

            positions.Add((x, row));
            x += w + spacing;
        }

        int rows = entries.Count == 0 ? 0 : row + 1;
        int legendHeight = (int)MathF.Ceiling((2 * margin) + (rows * lineHeight));
        int outHeight = height + legendHeight;

        // The image at the top left, white around and below it; then the legend drawn on that.
        byte[] start = new byte[outWidth * outHeight * 4];
        Array.Fill(start, (byte)255);
        for (int y = 0; y < height; y++)
        {
            for (int x0 = 0; x0 < width; x0++)
            {
                int from = ((y * width) + x0) * 3, to = ((y * outWidth) + x0) * 4;
                (start[to], start[to + 1], start[to + 2]) = (rgb[from], rgb[from + 1], rgb[from + 2]);
            }
        }

        var info = new SKImageInfo(outWidth, outHeight, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(start, 0, bitmap.GetPixels(), start.Length);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var border = new SKPaint { Color = new SKColor(96, 96, 96), Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
            for (int i = 0; i < entries.Count; i++)
            {
                var (ex, er) = positions[i];
                float top = height + margin + (er * lineHeight) + ((lineHeight - swatch) / 2);
                var (r, g, b) = VocPalette.Colour(entries[i].Class);
                using var fill = new SKPaint { Color = new SKColor(r, g, b) };
                var box = new SKRect(ex, top, ex + swatch, top + swatch);
                canvas.DrawRect(box, fill);
                canvas.DrawRect(box, border);
                float baseline = top + (swatch / 2) - ((font.Metrics.Ascent + font.Metrics.Descent) / 2);
                canvas.DrawText(entries[i].Text, ex + swatch + gap, baseline, SKTextAlign.Left, font, text);
            }
        }

        byte[] rgba = bitmap.Bytes;
        byte[] result = new byte[outWidth * outHeight * 3];
        for (int i = 0; i < outWidth * outHeight; i++)
        {
            result[i * 3] = rgba[i * 4];
            result[(i * 3) + 1] = rgba[(i * 4) + 1];
            result[(i * 3) + 2] = rgba[(i * 4) + 2];
        }

        return (outWidth, outHeight, result);
    }

    /// <summary>The classes present, largest share first (ties by id), with "name 12.3%" ("name &lt;0.1%" for a few pixels).</summary>
    public static IReadOnlyList<(int Class, string Text)> Entries(byte[] ids, IReadOnlyList<string> classNames)
    {
        long[] counts = new long[256];
        foreach (byte id in ids)
            counts[id]++;
        return Enumerable.Range(0, 256).Where(c => counts[c] > 0)
            .OrderByDescending(c => counts[c]).ThenBy(c => c)
            .Select(c => (c, $"{Printable(c < classNames.Count ? classNames[c] : $"class {c}")} {Share(counts[c], ids.Length)}"))
            .ToList();
    }

    private static string Share(long count, long total)
    {
        double percent = 100.0 * count / total;
        return percent < 0.05 ? "<0.1%" : string.Create(CultureInfo.InvariantCulture, $"{percent:0.0}%");
    }

    private static string Printable(string name) => new(name.Select(ch => ch is >= ' ' and <= '~' ? ch : '?').ToArray());

    private static SKTypeface LoadTypeface()
    {
        const string resource = "samples/SANet/Imaging/Fonts/DejaVuSans-ascii.ttf";
        using Stream stream = typeof(OverlayLegend).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource}: not embedded in the sample (SANet.csproj)");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"{resource}: SkiaSharp cannot read this font");
    }
}
