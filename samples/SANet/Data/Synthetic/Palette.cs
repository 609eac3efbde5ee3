namespace NetSpec.Samples.SANet.Data.Synthetic;

/// <summary>
/// Colours of the built-in scenes. Each class draws its colours from an overlapping subset of one shared
/// palette, and the background from the whole palette, so a colour says little about the class.
/// </summary>
internal static class Palette
{
    public static readonly (byte R, byte G, byte B)[] Colours =
    [
        (220, 60, 50), (240, 170, 40), (230, 220, 70), (70, 180, 80),
        (60, 170, 200), (60, 80, 200), (150, 70, 190), (210, 210, 210),
    ];

    /// <summary>Palette indices each object class may use (five of eight, overlapping).</summary>
    private static readonly int[][] ClassColours =
    [
        [0, 1, 2, 3, 4, 5, 6, 7],
        [0, 1, 3, 5, 7],
        [1, 2, 4, 6, 7],
        [0, 2, 3, 5, 6],
        [0, 1, 4, 5, 6],
        [2, 3, 4, 6, 7],
    ];

    public static (byte R, byte G, byte B) Pick(int classId, SeededRandom random)
    {
        int[] allowed = ClassColours[classId];
        return Colours[allowed[random.Next(allowed.Length)]];
    }

    /// <summary>A second colour for the texture, different from <paramref name="first"/>.</summary>
    public static (byte R, byte G, byte B) PickOther(int classId, (byte R, byte G, byte B) first, SeededRandom random)
    {
        for (int attempt = 0; attempt < 16; attempt++)
        {
            var c = Pick(classId, random);
            if (c != first)
                return c;
        }

        return ((byte)(255 - first.R), (byte)(255 - first.G), (byte)(255 - first.B));
    }
}
