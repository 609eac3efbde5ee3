namespace NetSpec.Samples.SANet.Data;

/// <summary>
/// A small counter-based generator (SplitMix64): every stream is derived from (seed, keys…), so a
/// scene, a batch order or an augmentation is a pure function of its keys and a resumed run repeats it.
/// </summary>
public sealed class SeededRandom
{
    private ulong state;

    public SeededRandom(ulong seed, params ulong[] keys)
    {
        state = Mix(seed ^ 0x9E3779B97F4A7C15UL);
        foreach (ulong key in keys)
            state = Mix(state ^ Mix(key + 0x632BE59BD9B4E019UL));
    }

    public ulong NextULong()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Uniform integer in [0, bound).</summary>
    public int Next(int bound) => (int)(NextULong() % (ulong)bound);

    public int Next(int low, int high) => low + Next(high - low);

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Gaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A permutation of 0..n-1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        int[] p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }

        return p;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
