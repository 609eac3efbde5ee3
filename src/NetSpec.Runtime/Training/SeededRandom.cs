namespace NetSpec.Runtime.Training;

/// <summary>
/// Counter-based random numbers: value i of a stream depends only on (seed, stream, i) through the
/// SplitMix64 finaliser, so parameters initialise identically regardless of order or device.
/// </summary>
public readonly struct SeededRandom(ulong seed, string stream)
{
    private readonly ulong key = Mix(seed ^ Fnv1a(stream));

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double Uniform(long index) => (Mix(key + ((ulong)index * 0x9E3779B97F4A7C15UL)) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box–Muller over uniforms 2i and 2i+1).</summary>
    public double Normal(long index)
    {
        double u1 = 1.0 - Uniform(2 * index); // (0, 1]
        double u2 = Uniform((2 * index) + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char ch in text)
        {
            hash ^= ch;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }
}
