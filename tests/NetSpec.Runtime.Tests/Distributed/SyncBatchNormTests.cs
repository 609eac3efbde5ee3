using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Ops;
using Xunit.Abstractions;

namespace NetSpec.Runtime.Tests.Distributed;

/// <summary>
/// SyncBN: batch norm on 2 ranks (threads, <see cref="ThreadCommunicator"/>), each with its share of a batch, against
/// one process's batch norm over the whole batch (itself checked against a double reference and central
/// differences in OpTests): statistics, running statistics, outputs, input gradients, and dγ, dβ summed over ranks.
/// </summary>
public sealed class SyncBatchNormTests(ITestOutputHelper output)
{
    private const int C = 3, H = 4, W = 5;
    private const double U = 1.0 / (1 << 24); // float's unit roundoff (round to nearest)

    public static TheoryData<bool, bool, int> Cases => new()
    {
        { true, false, 2 }, { true, true, 2 }, { true, true, 1 }, // host code: even split, ReLU, uneven split (1 + 3 images)
        { false, false, 2 }, { false, true, 1 },                  // kernels (CPU accelerator)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void TwoRanksEqualOneProcessOnTheConcatenatedBatch(bool hostCode, bool relu, int firstRankImages)
    {
        const int n = 4, plane = C * H * W;
        float[] x = Rand(n * plane, 7, -2, 3), dy = Rand(n * plane, 8, -1, 1);
        float[] gamma = Rand(C, 9, 0.5, 1.5), beta = Rand(C, 10, -0.5, 0.5);
        Result whole = RunBatchNorm(SingleProcess.Instance, hostCode, relu, x, dy, gamma, beta);
        int[] images = [firstRankImages, n - firstRankImages];
        Result[] ranks = ThreadCommunicator.Run(2, comm =>
        {
            int first = comm.Rank == 0 ? 0 : images[0];
            return RunBatchNorm(comm, hostCode, relu, x[(first * plane)..((first + images[comm.Rank]) * plane)],
                dy[(first * plane)..((first + images[comm.Rank]) * plane)], gamma, beta);
        });

        // Host code sums each (image, channel) plane in float exactly as one process does (the planes are the same)
        // and adds planes in double, so only rounding to float differs: an ulp in mean, invStd, dγ, dβ, carried through
        // y = x·s + t and dx = a·g + b + k·x (three products and sums, each of terms up to the largest output): 16 ulps.
        // Kernels add strided partials in float in another grouping: a float sum of M = N·H·W terms is off by at most
        // (M − 1)·u·Σ|t|, relative to the largest output M·u again; the same 16 allows for the carried rounding.
        const int m = n * H * W;
        double rel = hostCode ? 16 * U : 16 * m * U;
        float[] Joined(Func<Result, float[]> part) => [.. part(ranks[0]), .. part(ranks[1])];
        foreach (Result r in ranks)
        {
            Near("mean", whole.Mean, r.Mean, rel);
            Near("invStd", whole.InvStd, r.InvStd, rel);
            Near("running mean", whole.RunningMean, r.RunningMean, rel);
            Near("running var (unbiased, global M)", whole.RunningVar, r.RunningVar, rel);
            Assert.Equal(whole.Counter, r.Counter);
        }

        Near("y", whole.Y, Joined(r => r.Y), rel);
        Near("dx", whole.Dx, Joined(r => r.Dx), rel);
        // each rank's dγ, dβ are its own share; the trainer's all-reduce adds them (here: added in double)
        Near("dγ summed over ranks", whole.Dgamma, ranks[0].Dgamma.Zip(ranks[1].Dgamma, (a, b) => (float)((double)a + b)).ToArray(), rel);
        Near("dβ summed over ranks", whole.Dbeta, ranks[0].Dbeta.Zip(ranks[1].Dbeta, (a, b) => (float)((double)a + b)).ToArray(), rel);
    }

    private void Near(string what, float[] expected, float[] actual, double rel)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(v => Math.Abs((double)v)));
        double worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        output.WriteLine($"{what}: max |difference| {worst:E2} (tolerance {rel * scale:E2})");
        Assert.True(worst <= rel * scale, $"{what}: max |difference| {worst:E3} over tolerance {rel * scale:E3}");
    }

    private sealed record Result(float[] Mean, float[] InvStd, float[] RunningMean, float[] RunningVar, float[] Counter,
        float[] Y, float[] Dx, float[] Dgamma, float[] Dbeta);

    private static Result RunBatchNorm(ICommunicator comm, bool hostCode, bool relu, float[] x, float[] dy, float[] gammaValues, float[] betaValues)
    {
        int n = x.Length / (C * H * W);
        using Device d = Device.Create("cpu");
        d.HostCode = hostCode;
        d.Communicator = comm;
        using var s = new BuffersScope(d);
        Tensor xt = s.Tensor(x, n, C, H, W), y = s.Tensor(n, C, H, W, float.NaN), dx = s.Tensor(n, C, H, W, float.NaN);
        ArrayView<float> gamma = s.Floats(gammaValues), beta = s.Floats(betaValues);
        ArrayView<float> mean = s.Filled(C, 0), inv = s.Filled(C, 0), rm = s.Filled(C, 0.1f), rv = s.Filled(C, 2), counter = s.Filled(1, 3);
        ArrayView<float> dg = s.Filled(C, float.NaN), db = s.Filled(C, float.NaN);
        BatchNorm.Statistics(d, xt, mean, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
        BatchNorm.Apply(d, xt, mean, inv, gamma, beta, y, relu);
        BatchNorm.Backward(d, xt, relu ? y : default, s.Tensor(dy, n, C, H, W), mean, inv, gamma, dx, dg, db, relu, accumulate: false);
        return new Result(s.Read(mean), s.Read(inv), s.Read(rm), s.Read(rv), s.Read(counter), s.Read(y), s.Read(dx), s.Read(dg), s.Read(db));
    }

    private static float[] Rand(int n, int seed, double lo, double hi)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(lo + ((hi - lo) * rng.NextDouble()))).ToArray();
    }
}
