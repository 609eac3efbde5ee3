using NetSpec.Samples.SANet.Data;
using SkiaSharp;

namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// Decodes and encodes colour images with SkiaSharp; pixels travel as interleaved RGB bytes. A decode is exact
/// or refused: the size is checked from the header before any pixel is allocated, and a truncated or damaged
/// file (which SkiaSharp would hand back partly filled) is an error naming the file.
/// </summary>
public static class ImageCodec
{
    /// <summary>8192² pixels: 256 MiB as RGBA, more than any image of the datasets the sample reads.</summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>1 GiB: an image file's byte cap, above any 8192² PNG or JPEG met in practice.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Decodes any image SkiaSharp reads (JPEG, PNG incl. palette PNGs) to RGB, exactly, or throws naming the file.</summary>
    public static (int Width, int Height, byte[] Rgb) DecodeRgb(string path, string what = "image") =>
        DecodeRgb(path, UntrustedFile.ReadAll(path, MaxFileBytes, problem => new DataException($"{path}: {problem}")), what);

    /// <summary>Decodes the bytes of the file <paramref name="path"/> (named in errors).</summary>
    public static (int Width, int Height, byte[] Rgb) DecodeRgb(string path, byte[] file, string what)
    {
        using SKData data = SKData.CreateCopy(file);
        using SKCodec? codec = SKCodec.Create(data)
            ?? throw new DataException($"{path}: cannot read this {what} (not a format SkiaSharp decodes, or damaged)");
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new DataException($"{path}: {what} of {width}×{height} pixels; this sample decodes at most {MaxPixels:N0} (8192²)");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        SKCodecResult result = codec.GetPixels(info, out byte[] rgba);
        if (result != SKCodecResult.Success)
            throw new DataException($"{path}: {what} is truncated or damaged (decoder: {result}); refusing a partial decode");
        int n = width * height; // ≤ MaxPixels = 2^26, so n * 4 fits in an int
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < n; i++)
        {
            rgb[i * 3] = rgba[i * 4];
            rgb[(i * 3) + 1] = rgba[(i * 4) + 1];
            rgb[(i * 3) + 2] = rgba[(i * 4) + 2];
        }

        return (width, height, rgb);
    }

    /// <summary>The PNG bytes of RGB pixels (the caller writes them).</summary>
    public static byte[] EncodePng(int width, int height, byte[] rgb)
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
        return data.ToArray();
    }
}
