using ILGPU;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.DeviceChecks.Ops;

/// <summary>
/// Winograd F(2×2, 3×3) convs wide enough for the 16-tile vector paths, against double references: the forward
/// against <see cref="Naive.Conv2d"/>, the input gradient against the adjoint sum written out here.
/// Bound per output, from the arithmetic: every entry is a sum over channels of products of a transformed filter
/// and a transformed tile (|G| has row sums ≤ 1.5, |Bᵀ| ≤ 2, |Aᵀ| ≤ 3), so computed with absolute values it is at
/// most 81 · Σ_c max|g_c| · max|d_c| over the tile's window (a 5×5 superset of the 4×4 tile, dilated), and its
/// rounding error at most (C + 12) · ε32 times that: two additions in each of the input and output transforms'
/// directions, four in the filter transform, one product, C terms of the sum.
/// </summary>
public sealed class WinogradChecks(DeviceFixture fixture) : OpCheckBase(fixture)
{
    // (N, C, H, W, K, pad, dilation, groups)
    private static readonly (int N, int C, int H, int W, int K, int Pad, int Dil, int G)[] Cases =
    [
        (1, 20, 9, 37, 18, 1, 1, 1),   // 16 tiles a row plus a tail, odd rows and columns (half tiles)
        (2, 16, 12, 70, 16, 2, 2, 1),  // dilation 2: two phases of 35 columns each (16-tile input rows), two images
        (1, 32, 7, 35, 20, 1, 1, 2),   // two groups of 16 inputs and 10 outputs
        (2, 17, 6, 37, 19, 0, 1, 1),   // no padding: the input gradient pads by 2
        (1, 16, 10, 50, 16, 3, 3, 1),  // dilation 3
        (1, 16, 5, 20, 16, 3, 1, 1),   // padding past the kernel's reach (forward only through Winograd)
    ];

    [DeviceCheck]
    public void ForwardMatchesReference()
    {
        foreach (var c in Cases)
        {
            var g = new ConvGeometry(3, 3, 1, 1, c.Pad, c.Pad, c.Dil, c.Dil, c.G);
            int p = g.OutH(c.H), q = g.OutW(c.W), cg = c.C / c.G;
            double[] x = Rand(c.N * c.C * c.H * c.W, 1), w = Rand(c.K * cg * 9, 2);
            double[] expected = Naive.Conv2d(x, w, null, c.N, c.C, c.H, c.W, c.K, 3, 3, 1, 1, c.Pad, c.Pad, c.Dil, c.Dil, c.G, out _, out _);
            using var s = new BuffersScope(D);
            Tensor y = s.Tensor(c.N, c.K, p, q, float.NaN);
            Conv2d.Forward(D, s.Tensor(F(x), c.N, c.C, c.H, c.W), s.Floats(F(w)), default, y, g);
            double[] bound = Bound(x, w, c.N, c.C, c.H, c.W, c.K, p, q, c.Pad, c.Dil, c.G, transposed: false);
            Within($"forward {c}", s.Read(y), expected, bound, cg, 0);
        }
    }

    [DeviceCheck]
    public void InputGradientMatchesReference()
    {
        foreach (var c in Cases)
        {
            var g = new ConvGeometry(3, 3, 1, 1, c.Pad, c.Pad, c.Dil, c.Dil, c.G);
            int p = g.OutH(c.H), q = g.OutW(c.W), cg = c.C / c.G, kg = c.K / c.G;
            double[] dy = Rand(c.N * c.K * p * q, 3), w = Rand(c.K * cg * 9, 4);
            var expected = new double[c.N * c.C * c.H * c.W];
            for (int n = 0; n < c.N; n++)
                for (int k = 0; k < c.K; k++)
                    for (int ci = 0; ci < cg; ci++)
                        for (int o = 0; o < p; o++)
                            for (int r = 0; r < 3; r++)
                                for (int oq = 0; oq < q; oq++)
                                    for (int t = 0; t < 3; t++)
                                    {
                                        int i = o - c.Pad + (c.Dil * r), j = oq - c.Pad + (c.Dil * t);
                                        if (i >= 0 && i < c.H && j >= 0 && j < c.W)
                                            expected[Naive.At(n, (k / kg * cg) + ci, i, j, c.C, c.H, c.W)] +=
                                                dy[Naive.At(n, k, o, oq, c.K, p, q)] * w[(((k * cg) + ci) * 9) + (r * 3) + t];
                                    }

            double[] bound = Bound(dy, w, c.N, c.K, p, q, c.C, c.H, c.W, (2 * c.Dil) - c.Pad, c.Dil, c.G, transposed: true);
            foreach (bool accumulate in new[] { false, true })
            {
                using var s = new BuffersScope(D);
                Tensor dx = s.Tensor(c.N, c.C, c.H, c.W, accumulate ? 0.375f : float.NaN);
                Conv2d.BackwardInput(D, s.Tensor(F(dy), c.N, c.K, p, q), s.Floats(F(w)), dx, g, accumulate);
                Within($"input gradient {c} accumulate={accumulate}", s.Read(dx), expected, bound, c.K / c.G, accumulate ? 0.375 : 0);
            }
        }
    }

    private static float[] F(double[] v) => v.Select(e => (float)e).ToArray();

    // 81 · Σ_c max|filter(k, c)| · max|input window of c around the output| (see the class comment). For the
    // input gradient the conv runs over dy (channels K) with filters w[k, c] and padding 2·dil − pad.
    private static double[] Bound(double[] input, double[] w, int n, int cIn, int h, int wd, int cOut, int p, int q, int pad, int dil, int groups, bool transposed)
    {
        int gi = cIn / groups, go = cOut / groups;
        var bound = new double[n * cOut * p * q];
        var windowMax = new double[gi];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < p; o++)
                for (int oq = 0; oq < q; oq++)
                    for (int grp = 0; grp < groups; grp++)
                    {
                        for (int ci = 0; ci < gi; ci++)
                        {
                            double most = 0;
                            for (int r = -1; r <= 3; r++)
                                for (int t = -1; t <= 3; t++)
                                {
                                    int i = o - pad + (dil * r), j = oq - pad + (dil * t);
                                    if (i >= 0 && i < h && j >= 0 && j < wd)
                                        most = Math.Max(most, Math.Abs(input[Naive.At(b, (grp * gi) + ci, i, j, cIn, h, wd)]));
                                }

                            windowMax[ci] = most;
                        }

                        for (int ko = 0; ko < go; ko++)
                        {
                            double sum = 0;
                            for (int ci = 0; ci < gi; ci++)
                            {
                                // forward: filter (ko, ci) of the group; transposed: the filter of original output ci, input ko
                                int filter = transposed ? (grp * gi) + ci : (grp * go) + ko;
                                int inner = transposed ? ko : ci, perFilter = transposed ? go : gi;
                                double gmax = 0;
                                for (int tap = 0; tap < 9; tap++)
                                    gmax = Math.Max(gmax, Math.Abs(w[(((filter * perFilter) + inner) * 9) + tap]));
                                sum += gmax * windowMax[ci];
                            }

                            bound[Naive.At(b, (grp * go) + ko, o, oq, cOut, p, q)] = 81 * sum;
                        }
                    }

        return bound;
    }

    private static void Within(string what, float[] actual, double[] expected, double[] bound, int channels, double offset)
    {
        Expect.Equal(expected.Length, actual.Length);
        double factor = (channels + 12) * GradientCheck.Eps32;
        for (int i = 0; i < actual.Length; i++)
        {
            // a prefilled value adds one more rounding of the sum
            double tol = (factor * bound[i]) + (GradientCheck.Eps32 * (Math.Abs(expected[i]) + offset));
            double diff = Math.Abs(actual[i] - offset - expected[i]);
            Expect.True(diff <= tol, $"{what}: at {i} device {actual[i] - offset}, reference {expected[i]}, diff {diff:E3} > {tol:E3}");
        }
    }
}
