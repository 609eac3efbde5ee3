using ILGPU;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.DeviceChecks.Ops;

/// <summary>
/// Per-channel sums long enough that on the CPU accelerator every thread of a reduction group holds several
/// partials (BN: 32 partials for one channel, groups of 16; bias: 323-pixel planes), against double sums.
/// Tolerance as GradientCheck: 4·ε32·L·max(1, |value|) for a sum of L terms.
/// </summary>
public sealed class ReductionChecks(DeviceFixture fixture) : OpCheckBase(fixture)
{
    private const int N = 3, H = 17, W = 19, M = N * H * W;

    private static float[] F(double[] v) => v.Select(e => (float)e).ToArray();

    [DeviceCheck]
    public void BatchNormStatisticsAndParameterGradientsOfOneLongChannel()
    {
        double[] x = Rand(M, 300, 4, 6), dy = Rand(M, 301);
        using var s = new BuffersScope(D);
        Tensor xt = s.Tensor(F(x), N, 1, H, W);
        ArrayView<float> mean = s.Filled(1, 0), inv = s.Filled(1, 0), rm = s.Filled(1, 0), rv = s.Filled(1, 1), counter = s.Filled(1, 0);
        ArrayView<float> dg = s.Filled(1, float.NaN), db = s.Filled(1, float.NaN);
        BatchNorm.Statistics(D, xt, mean, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
        BatchNorm.Backward(D, xt, default, s.Tensor(F(dy), N, 1, H, W), mean, inv, s.Filled(1, 1), default, dg, db, relu: false, accumulate: false);

        double[] xs = F(x).Select(v => (double)v).ToArray(), gs = F(dy).Select(v => (double)v).ToArray();
        double mu = xs.Average(), variance = xs.Sum(v => (v - mu) * (v - mu)) / M, invStd = 1 / Math.Sqrt(variance + 1e-5);
        GradientCheck.Compare("mean", s.Read(mean), [mu], M, 0);
        // invStd = (var + eps)^-½: var's relative error (≤ 4·ε32·M relative to its terms' scale) halves
        GradientCheck.Compare("invStd", s.Read(inv), [invStd], M, 0);
        GradientCheck.Compare("dbeta", s.Read(db), [gs.Sum()], M, 0);
        GradientCheck.Compare("dgamma", s.Read(dg), [invStd * xs.Zip(gs, (v, g) => g * (v - mu)).Sum()], M, 0);
    }

    [DeviceCheck]
    public void BiasGradientSumsEachChannelOverImagesAndPixels()
    {
        const int c = 5;
        double[] dy = Rand(N * c * H * W, 302);
        using var s = new BuffersScope(D);
        ArrayView<float> db = s.Filled(c, float.NaN);
        Bias.Gradient(D, s.Tensor(F(dy), N, c, H, W), db);
        double[] expected = new double[c];
        for (int n = 0; n < N; n++)
        {
            for (int k = 0; k < c; k++)
            {
                for (int i = 0; i < H * W; i++)
                    expected[k] += (float)dy[(((n * c) + k) * H * W) + i];
            }
        }

        GradientCheck.Compare("db", s.Read(db), expected, M, 0);
    }
}
