using ILGPU;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.DeviceChecks.Ops;

/// <summary>Shared helpers for the per-backend op tests.</summary>
public abstract class OpCheckBase(DeviceFixture fixture)
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

    /// <summary>
    /// A conv's forward, input gradient and parameter gradients against <see cref="Naive.Conv2d"/> and central
    /// differences; inputs drawn with seeds <paramref name="seed"/>, +10, +20. Tolerance (GradientCheck): the longest
    /// float sum an output takes part in — C/g·R·S products for y, K/g·R·S for dx (at most K·R·S), N·P·Q for dW.
    /// </summary>
    protected static OpCase ConvCase(Device d, (int N, int C, int H, int W, int K, int R, int S, int Sh, int Sw, int Ph, int Pw, int Dh, int Dw, int G, bool Bias) c, string label, int seed)
    {
        var g = new ConvGeometry(c.R, c.S, c.Sh, c.Sw, c.Ph, c.Pw, c.Dh, c.Dw, c.G);
        int p = g.OutH(c.H), q = g.OutW(c.W);
        int wl = c.K * (c.C / c.G) * c.R * c.S;
        double[][] inputs = c.Bias
            ? [Rand(c.N * c.C * c.H * c.W, seed), Rand(wl, seed + 10), Rand(c.K, seed + 20)]
            : [Rand(c.N * c.C * c.H * c.W, seed), Rand(wl, seed + 10)];
        GradKind[] kinds = c.Bias ? [GradKind.Input, GradKind.Param, GradKind.Param] : [GradKind.Input, GradKind.Param];
        int reduction = Math.Max(Math.Max(c.C / c.G * c.R * c.S, c.N * p * q), c.K * c.R * c.S);
        return new OpCase($"{label} {g}", inputs, kinds,
            xs => Naive.Conv2d(xs[0], xs[1], c.Bias ? xs[2] : null, c.N, c.C, c.H, c.W, c.K, c.R, c.S, c.Sh, c.Sw, c.Ph, c.Pw, c.Dh, c.Dw, c.G, out _, out _),
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(d);
                Tensor x = s.Tensor(xs[0], c.N, c.C, c.H, c.W);
                ArrayView<float> w = s.Floats(xs[1]);
                ArrayView<float> b = c.Bias ? s.Floats(xs[2]) : default;
                Tensor y = s.Tensor(c.N, c.K, p, q, float.NaN);
                Conv2d.Forward(d, x, w, b, y, g);
                Tensor dyt = s.Tensor(dy, c.N, c.K, p, q);
                Tensor dx = s.Tensor(c.N, c.C, c.H, c.W, pre);
                ArrayView<float> dw = s.Filled(wl, pre);
                ArrayView<float> db = c.Bias ? s.Filled(c.K, pre) : default;
                Conv2d.BackwardInput(d, dyt, w, dx, g, acc);
                Conv2d.BackwardParams(d, x, dyt, dw, db, g);
                return (s.Read(y), [s.Read(dx), s.Read(dw), c.Bias ? s.Read(db) : null]);
            },
            reduction);
    }
}
