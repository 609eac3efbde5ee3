using NetSpec.Runtime;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>Shared helpers for the per-backend op tests.</summary>
public abstract class OpTestBase(DeviceFixture fixture)
{
    /// <summary>The device, with cuBLAS held to float32 (TF32 would exceed float32 tolerances by design).</summary>
    protected Device D
    {
        get
        {
            fixture.Device.AllowTf32 = false;
            return fixture.Device;
        }
    }

    protected static double[] Rand(int n, int seed, double lo = -1, double hi = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + ((hi - lo) * rng.NextDouble())).ToArray();
    }

    /// <summary>Random values with |v| ≥ 0.1, away from ReLU's kink.</summary>
    protected static double[] AwayFromZero(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (rng.Next(2) == 0 ? -1 : 1) * (0.1 + (0.9 * rng.NextDouble()))).ToArray();
    }

    /// <summary>Distinct values at least 0.01 apart in random order (no max-pool ties).</summary>
    protected static double[] Distinct(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Select(i => (i * 0.01) - (n * 0.005)).ToArray();
    }

    protected static float[] Pre(int n, float value) => Enumerable.Repeat(value, n).ToArray();
}
