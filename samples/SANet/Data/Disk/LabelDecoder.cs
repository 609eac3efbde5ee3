using NetSpec.Samples.SANet.Imaging;

namespace NetSpec.Samples.SANet.Data.Disk;

/// <summary>
/// Reads a label PNG into class ids. Palette PNGs (VOC) are read as their palette indices, whatever the palette's
/// colours (<see cref="PaletteIndices"/>). Colour PNGs of VOC colours are mapped back to their VOC palette index
/// ((224,224,192) → 255). Grey-level PNGs (every pixel R = G = B) are class ids as is;
/// 16-bit PNGs and grey PNGs under 8 bits are refused (their ids would not survive the 8-bit decode).
/// Then checks what the file holds: ids below the class count or 255, and no 0/255 binary mask.
/// </summary>
public static class LabelDecoder
{
    private static readonly Dictionary<int, byte> VocColours = VocPalette.ReverseLookup();

    public static (int Width, int Height, byte[] Ids) Read(string path, int numClasses)
    {
        byte[] file = UntrustedFile.ReadAll(path, ImageCodec.MaxFileBytes, problem => new DataException($"{path}: {problem}"));
        PngHeader? png = PngHeader.Read(file);
        CheckBitDepth(path, png);
        bool indexed = png?.ColourType == PngHeader.Palette;
        (byte[] decodable, int entries) = indexed ? PaletteIndices.AsGreyLevels(file) : (file, 256);
        var (width, height, rgb) = ImageCodec.DecodeRgb(path, decodable, "label file");
        byte[] ids = IsGrey(rgb) ? GreyIds(rgb) : PaletteIds(path, rgb);
        if (indexed)
            CheckIndices(path, ids, entries);
        Check(path, ids, numClasses);
        return (width, height, ids);
    }

    /// <summary>
    /// SkiaSharp decodes to 8 bits a channel: a 16-bit PNG comes back as value / 257 (ids 0..256 all read 0) and a
    /// 1, 2 or 4-bit grey PNG scaled up to 0..255 (id 1 of a 1-bit file reads 255). Neither holds class ids exactly.
    /// Palette PNGs of any depth decode to their palette colours, exactly.
    /// </summary>
    private static void CheckBitDepth(string path, PngHeader? png)
    {
        if (png is null)
            return; // not a PNG (a JPEG label): decoded as is
        bool exact = png.ColourType == PngHeader.Palette ? png.BitDepth <= 8 : png.BitDepth == 8;
        if (exact)
            return;
        throw new DataException(
            $"{path}: {png.BitDepth}-bit PNG (colour type {png.ColourType}); label files must be 8-bit grey or palette PNGs " +
            "(decoding it to 8 bits would change the class ids)");
    }

    // a palette PNG's index must name one of its PLTE entries (the PNG format's rule; decoders differ on what they show)
    private static void CheckIndices(string path, byte[] ids, int entries)
    {
        if (entries >= 256)
            return;
        int at = Array.FindIndex(ids, id => id >= entries);
        if (at >= 0)
            throw new DataException($"{path}: pixel {at} has palette index {ids[at]}, past the file's {entries} palette entries (a broken PNG)");
    }

    private static bool IsGrey(byte[] rgb)
    {
        for (int i = 0; i < rgb.Length; i += 3)
            if (rgb[i] != rgb[i + 1] || rgb[i] != rgb[i + 2])
                return false;
        return true;
    }

    private static byte[] GreyIds(byte[] rgb)
    {
        byte[] ids = new byte[rgb.Length / 3];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = rgb[i * 3];
        return ids;
    }

    private static byte[] PaletteIds(string path, byte[] rgb)
    {
        byte[] ids = new byte[rgb.Length / 3];
        for (int i = 0; i < ids.Length; i++)
        {
            int key = (rgb[i * 3] << 16) | (rgb[(i * 3) + 1] << 8) | rgb[(i * 3) + 2];
            if (!VocColours.TryGetValue(key, out ids[i]))
            {
                throw new DataException(
                    $"{path}: pixel {i} has colour ({rgb[i * 3]},{rgb[(i * 3) + 1]},{rgb[(i * 3) + 2]}), " +
                    "which is not a VOC palette colour; label files must be palette PNGs or grey-level class-id PNGs");
            }
        }

        return ids;
    }

    private static void Check(string path, byte[] ids, int numClasses)
    {
        long[] counts = new long[256];
        foreach (byte id in ids)
            counts[id]++;

        bool onlyZeroAnd255 = counts[0] + counts[255] == ids.Length;
        if (onlyZeroAnd255 && counts[255] > ids.Length / 20 && counts[0] > 0)
        {
            throw new DataException(
                $"{path}: looks like a binary 0/255 mask ({100.0 * counts[255] / ids.Length:F0}% of pixels are 255), " +
                $"but class ids 0..{numClasses - 1} were expected (255 = ignore)");
        }

        for (int id = numClasses; id < 255; id++)
        {
            if (counts[id] > 0)
            {
                throw new DataException(
                    $"{path}: label value {id} in {counts[id]} pixel(s), but the dataset has {numClasses} classes " +
                    $"(ids 0..{numClasses - 1}, 255 = ignore)");
            }
        }
    }
}
