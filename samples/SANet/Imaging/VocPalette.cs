namespace NetSpec.Samples.SANet.Imaging;

/// <summary>
/// The PASCAL VOC colour map (the bit-interleaving rule of the devkit's <c>labelcolormap</c>): class i
/// gets colour <see cref="Colour"/>(i); 255 (ignore, object borders) is (224,224,192).
/// </summary>
public static class VocPalette
{
    private static readonly (byte R, byte G, byte B)[] Table = Build();

    public static (byte R, byte G, byte B) Colour(int index) => Table[index & 255];

    /// <summary>The 256×3 table, as written into a PNG PLTE chunk.</summary>
    public static byte[] Bytes()
    {
        byte[] bytes = new byte[256 * 3];
        for (int i = 0; i < 256; i++)
            (bytes[i * 3], bytes[(i * 3) + 1], bytes[(i * 3) + 2]) = Table[i];
        return bytes;
    }

    /// <summary>Colour → index for every palette entry (the first index wins where colours repeat).</summary>
    public static Dictionary<int, byte> ReverseLookup()
    {
        var map = new Dictionary<int, byte>();
        for (int i = 0; i < 256; i++)
        {
            var (r, g, b) = Table[i];
            map.TryAdd((r << 16) | (g << 8) | b, (byte)i);
        }

        return map;
    }

    private static (byte, byte, byte)[] Build()
    {
        var table = new (byte, byte, byte)[256];
        for (int i = 0; i < 256; i++)
        {
            int r = 0, g = 0, b = 0, c = i;
            for (int j = 0; j < 8; j++)
            {
                r |= ((c >> 0) & 1) << (7 - j);
                g |= ((c >> 1) & 1) << (7 - j);
                b |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }

            table[i] = ((byte)r, (byte)g, (byte)b);
        }

        return table;
    }
}
