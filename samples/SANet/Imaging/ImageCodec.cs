using SkiaSharp;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>Decodes and encodes colour images with SkiaSharp; pixels travel as interleaved RGB bytes.</summary>
public static class ImageCodec
{
    /// <summary>Decodes any image SkiaSharp reads (JPEG, PNG incl. palette PNGs) to RGB; null when unreadable.</summary>
    public static (int Width, int Height, byte[] Rgb)? TryDecodeRgb(string path)
    {
        using SKCodec? codec = SKCodec.Create(path);
        if (codec is null)
            return null;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using SKBitmap? rgba = SKBitmap.Decode(codec, info);
        if (rgba is null)
            return null;
        byte[] pixels = rgba.Bytes;
        int n = rgba.Width * rgba.Height;
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++)
        {
            rgb[i * 3] = pixels[i * 4];
            rgb[(i * 3) + 1] = pixels[(i * 4) + 1];
            rgb[(i * 3) + 2] = pixels[(i * 4) + 2];
        }

        return (rgba.Width, rgba.Height, rgb);
    }

    /// <summary>Writes RGB bytes as a colour PNG.</summary>
    public static void WritePng(string path, int width, int height, byte[] rgb)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        byte[] pixels = new byte[width * height * 4];
        for (int i = 0; i < width * height; i++)
        {
            pixels[i * 4] = rgb[i * 3];
            pixels[(i * 4) + 1] = rgb[(i * 3) + 1];
            pixels[(i * 4) + 2] = rgb[(i * 3) + 2];
            pixels[(i * 4) + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        data.SaveTo(file);
    }
}
