using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>
/// Batch norm's slice kernels (bn.fwd.stats, bn.fwd.apply, bn.bwd.sums, bn.bwd.apply) on the CPU accelerator against
/// the host path, with one slice a channel and with several (each slice's partial finished by every group), run twice
/// for the same bits; and the host's fused BN + add + ReLU against the separate host ops, bit for bit.
/// </summary>
public sealed class BatchNormSliceTests(CpuFixture host, CpuKernelFixture kernels) : IClassFixture<CpuFixture>, IClassFixture<CpuKernelFixture>
{
    private const int N = 3, C = 4, H = 7, W = 9, M = N * H * W, Len = N * C * H * W;

    private sealed record Result(float[] Y, float[] Mean, float[] InvStd, float[] RunningMean, float[] RunningVar, float[] Counter,
        float[] Dx, float[] Dr, float[] Dgamma, float[] Dbeta);

    private static float[] Values(int n, int seed, double lo, double hi)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(lo + ((hi - lo) * rng.NextDouble()))).ToArray();
    }

    // x offset by 5 from zero, so that the variance is a difference of large numbers for a one-pass sum (Welford's is not)
    private static Result Step(Device d, bool residual, bool training, bool accumulate)
    {
        using var s = new BuffersScope(d);
        Tensor x = s.Tensor(Values(Len, 1, 4, 7), N, C, H, W), r = residual ? s.Tensor(Values(Len, 2, -1, 1), N, C, H, W) : default;
        ArrayView<float> gamma = s.Floats(Values(C, 3, 0.5f, 1.5f)), beta = s.Floats(Values(C, 4, -0.5f, 0.5f));
        ArrayView<float> mean = s.Filled(C, 0), inv = s.Filled(C, 0), rm = s.Floats(Values(C, 5, 4, 6)), rv = s.Floats(Values(C, 6, 0.5f, 1.5f));
        ArrayView<float> counter = s.Filled(1, 2);
        Tensor y = s.Tensor(N, C, H, W, float.NaN);
        BatchNorm.Forward(d, x, r, mean, inv, rm, rv, counter, gamma, beta, y, 0.1f, 1e-5f, training, relu: true);
        if (!training)
            return new Result(s.Read(y), [], [], s.Read(rm), s.Read(rv), s.Read(counter), [], [], [], []);
        Tensor dy = s.Tensor(Values(Len, 7, -1, 1), N, C, H, W);
        Tensor dx = s.Tensor(N, C, H, W, 0.375f), dr = residual ? s.Tensor(N, C, H, W, 0.25f) : default;
        ArrayView<float> dg = s.Filled(C, float.NaN), db = s.Filled(C, float.NaN);
        BatchNorm.Backward(d, x, y, dy, mean, inv, gamma, dx, dg, db, dr, relu: true, accumulate, accumulateResidual: accumulate);
        return new Result(s.Read(y), s.Read(mean), s.Read(inv), s.Read(rm), s.Read(rv), s.Read(counter), s.Read(dx),
            residual ? s.Read(dr) : [], s.Read(dg), s.Read(db));
    }

    private Result OnKernels(int slices, bool residual, bool training, bool accumulate)
    {
        Device d = kernels.Device;
        d.BatchNormSlices = slices;
        try
        {
            return Step(d, residual, training, accumulate);
        }
        finally
        {
            d.BatchNormSlices = 0;
        }
    }

    /// <summary>
    /// Tolerances: every compared value rests on a sum over a channel's M = N·H·W values (mean, variance, Σg, Σg·x̂), float
    /// on both paths: 4·ε32·M·max(1, |value|) (GradientCheck.Tolerance); y, dx and the running statistics are a few
    /// roundings away from those sums, each within the same bound's factor 4. dr is dy masked by y's sign: exact wherever
    /// both paths give y the same sign (values within the tolerance of 0 are skipped).
    /// </summary>
    [Theory]
    [InlineData(1, true, false)]
    [InlineData(3, true, true)]
    [InlineData(5, false, false)]
    [InlineData(0, true, false)]
    public void SliceKernelsMatchTheHostPath(int slices, bool residual, bool accumulate)
    {
        Result expected = Step(host.Device, residual, training: true, accumulate);
        Result actual = OnKernels(slices, residual, training: true, accumulate);
        Close("y", actual.Y, expected.Y);
        Close("mean", actual.Mean, expected.Mean);
        Close("invStd", actual.InvStd, expected.InvStd);
        Close("running mean", actual.RunningMean, expected.RunningMean);
        Close("running var", actual.RunningVar, expected.RunningVar);
        Assert.Equal(expected.Counter, actual.Counter);
        Close("dx", actual.Dx, expected.Dx);
        Close("dgamma", actual.Dgamma, expected.Dgamma);
        Close("dbeta", actual.Dbeta, expected.Dbeta);
        double tol = GradientCheck.Tolerance(M, 1);
        for (int i = 0; i < actual.Dr.Length; i++)
        {
            if (Math.Abs(expected.Y[i]) > tol)
                Assert.Equal(expected.Dr[i], actual.Dr[i]);
        }

        Result again = OnKernels(slices, residual, training: true, accumulate);
        foreach ((string what, float[] a, float[] b) in new[] { ("y", actual.Y, again.Y), ("dx", actual.Dx, again.Dx), ("dr", actual.Dr, again.Dr),
            ("dgamma", actual.Dgamma, again.Dgamma), ("running var", actual.RunningVar, again.RunningVar) })
            GradientCheck.SameBits($"{what}, second run on {slices} slices", a, b);
    }

    [Fact]
    public void EvalKernelMatchesTheHostPath()
    {
        Result expected = Step(host.Device, residual: true, training: false, accumulate: false);
        Result actual = OnKernels(0, residual: true, training: false, accumulate: false);
        Close("eval y", actual.Y, expected.Y);
        Assert.Equal(expected.RunningMean, actual.RunningMean);
        Assert.Equal(expected.RunningVar, actual.RunningVar);
        Assert.Equal(expected.Counter, actual.Counter);
    }

    [Fact]
    public void HostFusedStepEqualsTheSeparateOpsBitForBit()
    {
        Device d = host.Device;
        using var s = new BuffersScope(d);
        Tensor x = s.Tensor(Values(Len, 11, -2, 3), N, C, H, W), r = s.Tensor(Values(Len, 12, -1, 1), N, C, H, W);
        Tensor dy = s.Tensor(Values(Len, 13, -1, 1), N, C, H, W);
        ArrayView<float> gamma = s.Floats(Values(C, 14, 0.5f, 1.5f)), beta = s.Floats(Values(C, 15, -0.5f, 0.5f));
        float[] Run(bool fused)
        {
            ArrayView<float> mean = s.Filled(C, 0), inv = s.Filled(C, 0), rm = s.Filled(C, 0), rv = s.Filled(C, 1), counter = s.Filled(1, 0);
            Tensor y = s.Tensor(N, C, H, W, float.NaN), dx = s.Tensor(N, C, H, W, 0), dr = s.Tensor(N, C, H, W, 0.5f);
            ArrayView<float> dg = s.Filled(C, 0), db = s.Filled(C, 0);
            if (fused)
            {
                BatchNorm.Forward(d, x, r, mean, inv, rm, rv, counter, gamma, beta, y, 0.1f, 1e-5f, training: true, relu: true);
                BatchNorm.Backward(d, x, y, dy, mean, inv, gamma, dx, dg, db, dr, relu: true, accumulate: false, accumulateResidual: true);
            }
            else
            {
                Tensor bn = s.Tensor(N, C, H, W, float.NaN), sum = s.Tensor(N, C, H, W, float.NaN);
                Tensor dsum = s.Tensor(N, C, H, W, float.NaN), dbn = s.Tensor(N, C, H, W, float.NaN);
                BatchNorm.Statistics(d, x, mean, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
                BatchNorm.Apply(d, x, mean, inv, gamma, beta, bn, relu: false);
                Elementwise.Add(d, bn, r, sum);
                Activation.Relu(d, sum, y);
                Activation.ReluBackward(d, y, dy, dsum, accumulate: false);
                Elementwise.AddBackward(d, dsum, dbn, dr, accumulateA: false, accumulateB: true);
                BatchNorm.Backward(d, x, default, dbn, mean, inv, gamma, dx, dg, db, relu: false, accumulate: false);
            }

            return [.. s.Read(y), .. s.Read(dx), .. s.Read(dr), .. s.Read(dg), .. s.Read(db), .. s.Read(rm), .. s.Read(rv)];
        }

        GradientCheck.SameBits("host: fused against separate ops", Run(fused: false), Run(fused: true));
    }

    private static void Close(string what, float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double tol = 4 * GradientCheck.Tolerance(M, Math.Abs(expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tol, $"{what}[{i}]: kernels {actual[i]:R}, host {expected[i]:R} (tolerance {tol:G3})");
        }
    }
}
