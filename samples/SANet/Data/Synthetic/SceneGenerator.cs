namespace NetSpec.Samples.SANet.Data.Synthetic;

/// <summary>
/// Draws one scene from (seed, split, index): a noisy, blotchy background from the whole palette and
/// 2–5 textured objects of random class, size, rotation and colours, later ones occluding earlier ones.
/// </summary>
public static class SceneGenerator
{
    public static SegmentationSample Generate(ulong seed, int split, int index, int size)
    {
        var random = new SeededRandom(seed, (ulong)split, (ulong)index);
        byte[] rgb = new byte[size * size * 3];
        byte[] labels = new byte[size * size];
        PaintBackground(rgb, size, random);

        int objects = random.Next(2, 6);
        for (int o = 0; o < objects; o++)
            PaintShape(rgb, labels, size, NewInstance(size, random));

        AddNoise(rgb, random, 18);
        return new SegmentationSample($"synthetic-{(split == 0 ? "train" : "val")}-{index:D4}", size, size, rgb, labels);
    }

    private static ShapeInstance NewInstance(int size, SeededRandom random)
    {
        int classId = random.Next(1, ShapeKind.Names.Length);
        var primary = Palette.Pick(classId, random);
        var secondary = Palette.PickOther(classId, primary, random);
        double extent = random.Uniform(0.1, 0.3) * size;
        return new ShapeInstance(
            classId,
            Cx: random.Uniform(0.1, 0.9) * size,
            Cy: random.Uniform(0.1, 0.9) * size,
            Size: extent,
            Angle: random.Uniform(0, Math.PI),
            Period: Math.Max(3.0, extent * random.Uniform(0.22, 0.35)),
            primary,
            secondary);
    }

    private static void PaintBackground(byte[] rgb, int size, SeededRandom random)
    {
        var baseColour = Palette.Colours[random.Next(Palette.Colours.Length)];
        var blotches = Enumerable.Range(0, 3).Select(_ => (
            Colour: Palette.Colours[random.Next(Palette.Colours.Length)],
            X: random.Uniform(0, size), Y: random.Uniform(0, size), R: random.Uniform(0.15, 0.4) * size)).ToArray();
        double gx = random.Uniform(-0.4, 0.4), gy = random.Uniform(-0.4, 0.4);
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                var c = baseColour;
                foreach (var b in blotches)
                {
                    double dx = x - b.X, dy = y - b.Y;
                    if ((dx * dx) + (dy * dy) <= b.R * b.R)
                        c = b.Colour;
                }

                double shade = 0.75 + (((gx * x) + (gy * y)) / size * 0.5);
                int i = ((y * size) + x) * 3;
                rgb[i] = Clamp(c.R * shade);
                rgb[i + 1] = Clamp(c.G * shade);
                rgb[i + 2] = Clamp(c.B * shade);
            }
        }
    }

    private static void PaintShape(byte[] rgb, byte[] labels, int size, ShapeInstance shape)
    {
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (!shape.Covers(x + 0.5, y + 0.5))
                    continue;
                var c = shape.Texture(x + 0.5, y + 0.5) ? shape.Primary : shape.Secondary;
                int p = (y * size) + x;
                rgb[p * 3] = c.R;
                rgb[(p * 3) + 1] = c.G;
                rgb[(p * 3) + 2] = c.B;
                labels[p] = (byte)shape.ClassId;
            }
        }
    }

    private static void AddNoise(byte[] rgb, SeededRandom random, double sigma)
    {
        for (int i = 0; i < rgb.Length; i++)
            rgb[i] = Clamp(rgb[i] + (random.Gaussian() * sigma));
    }

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
