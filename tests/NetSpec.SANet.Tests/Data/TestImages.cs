using NetSpec.Samples.SANet.Imaging;
using SkiaSharp;

namespace NetSpec.SANet.Tests.Data;

/// <summary>Writes the image and label files the dataset tests read.</summary>
public static class TestImages
{
    public static void Jpeg(string path, int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                bitmap.SetPixel(x, y, new SKColor(r, g, b));
            }
        }

        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A palette PNG with the VOC colour map, as VOC's SegmentationClass files are.</summary>
    public static void VocLabel(string path, int width, int height, byte[] ids)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, IndexedPng.Encode(width, height, ids, VocPalette.Bytes()));
    }

    /// <summary>A grey-level PNG whose pixel values are the ids.</summary>
    public static void GreyLabel(string path, int width, int height, byte[] ids)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] grey = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
            grey[i * 3] = grey[(i * 3) + 1] = grey[(i * 3) + 2] = (byte)i;
        File.WriteAllBytes(path, IndexedPng.Encode(width, height, ids, grey));
    }

    /// <summary>Ids of a w×h label: class 1 + (x / 8) % 3 inside a box, a 255 border ring, background elsewhere.</summary>
    public static byte[] BoxLabel(int width, int height, int seed)
    {
        byte[] ids = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bool inside = x >= 4 + seed && x < width - 4 && y >= 4 && y < height - 4;
                bool border = !inside && x >= 3 + seed && x < width - 3 && y >= 3 && y < height - 3;
                ids[(y * width) + x] = inside ? (byte)(1 + ((x / 8) % 3) + seed) : border ? (byte)255 : (byte)0;
            }
        }

        return ids;
    }

    /// <summary>Writes a VOCdevkit/VOC2012 layout with <paramref name="train"/> + <paramref name="val"/> images of w×h.</summary>
    public static string VocLayout(string root, int train, int val, int width, int height)
    {
        string voc = Path.Combine(root, "VOCdevkit", "VOC2012");
        string lists = Path.Combine(voc, "ImageSets", "Segmentation");
        Directory.CreateDirectory(lists);
        var names = Enumerable.Range(0, train + val).Select(i => $"2007_{i:D6}").ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            byte[] ids = BoxLabel(width, height, i % 3);
            Jpeg(Path.Combine(voc, "JPEGImages", names[i] + ".jpg"), width, height, (x, y) =>
            {
                var (r, g, b) = VocPalette.Colour(ids[(y * width) + x]);
                return ((byte)(r / 2), (byte)(g / 2), (byte)(b / 2));
            });
            VocLabel(Path.Combine(voc, "SegmentationClass", names[i] + ".png"), width, height, ids);
        }

        File.WriteAllLines(Path.Combine(lists, "train.txt"), names[..train]);
        File.WriteAllLines(Path.Combine(lists, "val.txt"), names[train..]);
        return voc;
    }

    /// <summary>A grey PNG of any bit depth from sample values (big-endian pairs for 16 bits, packed bits below 8).</summary>
    public static void GreyPng(string path, int width, int height, int bitDepth, byte[] rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        int rowBytes = ((width * bitDepth) + 7) / 8;
        File.WriteAllBytes(path, IndexedPng.Encode(width, height, bitDepth, PngHeader.Grey, rows, rowBytes, paletteRgb: null));
    }

    /// <summary>A small RGB PNG written by SkiaSharp (the sample's own encoder).</summary>
    public static void Png(string path, int width, int height, byte shade)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] rgb = Enumerable.Range(0, width * height * 3).Select(i => (byte)(shade + (i % 7))).ToArray();
        File.WriteAllBytes(path, ImageCodec.EncodePng(width, height, rgb));
    }
}
