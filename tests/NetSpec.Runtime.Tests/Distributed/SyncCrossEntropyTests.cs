using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Ops;
using Xunit.Abstractions;

namespace NetSpec.Runtime.Tests.Distributed;

/// <summary>
/// Data-parallel cross-entropy: 2 ranks (threads) whose shards hold different numbers of ignored pixels. The mean over
/// ranks of their losses, and their gradients averaged (concatenated, ÷ 2), equal one process's on the whole batch.
/// Without the global count each rank would divide by its own, and the average would weight pixels unequally.
/// </summary>
public sealed class SyncCrossEntropyTests(ITestOutputHelper output)
{
    private const int K = 4, H = 3, W = 5, Ignore = 255;
    private const double U = 1.0 / (1 << 24);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TwoRanksAveragedEqualOneProcess(bool hostCode)
    {
        const int n = 4, plane = H * W;
        var rng = new Random(3);
        float[] logits = Enumerable.Range(0, n * K * plane).Select(_ => (float)((rng.NextDouble() * 4) - 2)).ToArray();
        // the first two images (rank 0's) ignore most of their pixels, the last two (rank 1's) none
        int[] labels = Enumerable.Range(0, n * plane).Select(i => i < 2 * plane && i % 3 != 0 ? Ignore : rng.Next(K)).ToArray();
        (float loss, float[] grad) whole = Run(SingleProcess.Instance, hostCode, logits, labels);
        (float Loss, float[] Grad)[] ranks = ThreadCommunicator.Run(2, comm =>
            Run(comm, hostCode, logits[(comm.Rank * 2 * K * plane)..((comm.Rank + 1) * 2 * K * plane)], labels[(comm.Rank * 2 * plane)..((comm.Rank + 1) * 2 * plane)]));

        // Host code sums each image's blocks in float as one process does and adds them in double; the divisor
        // (global #valid / ranks) is exact or a half: only the final roundings differ, 8 ulps. Kernels add strided
        // partials in float in another order: at most M·u relative for a sum of M = N·H·W terms, ×8 again.
        double rel = hostCode ? 8 * U : 8 * n * plane * U;
        double lossDiff = Math.Abs(whole.loss - ((ranks[0].Loss + (double)ranks[1].Loss) / 2));
        double gradScale = whole.grad.Max(v => Math.Abs((double)v));
        double gradDiff = whole.grad.Zip([.. ranks[0].Grad, .. ranks[1].Grad], (e, a) => Math.Abs(e - (a / 2.0))).Max();
        output.WriteLine($"loss: |difference| {lossDiff:E2} (tolerance {rel * whole.loss:E2}); gradient: max |difference| {gradDiff:E2} (tolerance {rel * gradScale:E2})");
        Assert.True(lossDiff <= rel * whole.loss, $"loss {whole.loss} against the ranks' mean, off by {lossDiff:E3}");
        Assert.True(gradDiff <= rel * gradScale, $"gradient off by {gradDiff:E3}");
    }

    private static (float Loss, float[] Grad) Run(ICommunicator comm, bool hostCode, float[] logitValues, int[] labelValues)
    {
        int n = labelValues.Length / (H * W);
        using Device d = Device.Create("cpu");
        d.HostCode = hostCode;
        d.Communicator = comm;
        using var s = new BuffersScope(d);
        Tensor logits = s.Tensor(logitValues, n, K, H, W), grad = s.Tensor(n, K, H, W, float.NaN);
        var map = new LabelMap(s.Ints(labelValues), n, H, W);
        ArrayView<float> loss = s.Filled(1, float.NaN);
        Losses.SoftmaxCrossEntropy(d, logits, map, Ignore, loss);
        Losses.SoftmaxCrossEntropyBackward(d, logits, map, Ignore, 1f, grad, accumulate: false);
        return (s.Read(loss)[0], s.Read(grad));
    }
}
