using NetSpec.Runtime;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Tests.Distributed;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.SANet.Tests.Training;

/// <summary>
/// The data-parallel gradient buckets on sanet-tiny: ranges of the arena's gradient buffer that cover it exactly,
/// started while the generated Backward runs (from its GradientsReady calls), and averaged to the ranks' mean.
/// </summary>
public sealed class GradientBucketTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(100_000L)]
    [InlineData(0L)] // the default
    [InlineData(long.MaxValue)]
    public void Buckets_cover_the_gradient_buffer_exactly(long cap)
    {
        using Device device = Device.Create("cpu");
        using INetwork net = NetworkRegistry.Create("sanet-tiny", null, "test", device);
        long length = net.Parameters[0].Arena.WeightLength;
        long floats = cap > 0 ? cap : GradientBuckets.DefaultFloats(length);
        IReadOnlyList<GradientBucket> buckets = GradientBuckets.Cut(net.Parameters, floats);
        Parameter[] weights = net.Parameters.Where(p => p.Grad is not null).ToArray();

        long at = 0;
        foreach (GradientBucket b in buckets)
        {
            Assert.Equal(at, b.Start); // no gap, no overlap
            Assert.True(b.Length <= floats || b.Weights.Count == 1, $"bucket at {b.Start}: {b.Length} floats over {floats} with {b.Weights.Count} weights");
            Assert.All(b.Weights, p => Assert.True(p.ArenaOffset >= b.Start && p.ArenaOffset + p.Length <= b.Start + b.Length, $"{p.Name} outside its bucket"));
            at += b.Length;
        }

        Assert.Equal(length, at);
        Assert.Equal(weights.Select(p => p.Name).Order(), buckets.SelectMany(b => b.Weights).Select(p => p.Name).Order()); // each once
        Assert.Equal(cap == 1 ? weights.Length : cap == long.MaxValue ? 1 : buckets.Count, buckets.Count);
        if (cap == 0)
            Assert.InRange(buckets.Count, 4, 5); // about a quarter of the gradients each
    }

    /// <summary>
    /// 2 ranks as threads, different images: every bucket starts before the network's Backward returns, both ranks
    /// start them in the same order, the first is the top of the buffer (the head's last layers, which backward finishes
    /// first), and each gradient ends as (own + other) / 2 to the bit (the thread communicator sums in rank order);
    /// in place in the arena (host memory) and through a host copy (what a GPU's buckets take).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Buckets_start_during_backward_and_end_as_the_ranks_mean(bool throughHostCopy)
    {
        var results = ThreadCommunicator.Run(2, comm =>
        {
            using Device device = Device.Create("cpu");
            using INetwork net = NetworkRegistry.Create("sanet-tiny", null, "test", device);
            device.Communicator = comm;
            net.InitializeParameters(5);
            net.Prepare(2, 48, 48, training: true);
            Fill(net, comm.Rank);
            net.Forward(training: true);
            net.Backward(); // SyncBN meets the other rank; the gradients are this rank's own
            Parameter[] weights = net.Parameters.Where(p => p.Grad is not null).ToArray();
            float[][] own = weights.Select(p => DeviceData.Download<float>(p.Grad!.View)).ToArray();
            var averager = new GradientAverager(comm, net, 100_000, throughHostCopy);
            net.Forward(training: true); // backward reuses forward's dead buffers: the same forward again
            averager.Backward();
            float[][] mean = weights.Select(p => DeviceData.Download<float>(p.Grad!.View)).ToArray();
            return (own, mean, averager.Buckets.Count, averager.StartedDuringBackward, Order: averager.StartOrder.ToArray());
        });

        Assert.True(results[0].Count >= 4, $"{results[0].Count} buckets");
        Assert.Equal(results[0].Count, results[0].StartedDuringBackward);
        Assert.Equal(results[0].Order, results[1].Order);
        Assert.Equal(results[0].Count - 1, results[0].Order[0]);
        for (int w = 0; w < results[0].own.Length; w++)
        {
            float[] expected = results[0].own[w].Zip(results[1].own[w], (a, b) => (a + b) * 0.5f).ToArray();
            Assert.Equal(expected, results[0].mean[w]);
            Assert.Equal(expected, results[1].mean[w]);
        }
    }

    // a smooth image that differs between ranks, labels over every class with a few ignored pixels
    private static void Fill(INetwork net, int rank)
    {
        var image = new float[net.Image.Length];
        for (int i = 0; i < image.Length; i++)
            image[i] = MathF.Sin((0.37f + (0.1f * rank)) * i) + (0.5f * MathF.Cos(0.011f * i));
        DeviceData.Upload(net.Image.View, image);
        var labels = new int[net.Labels.Length];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = i % 97 < 10 ? 255 : ((i / 7) + (i / net.Labels.W) + rank) % net.NumClasses;
        DeviceData.Upload(net.Labels.View, labels);
    }
}
