using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Tests.Backends;
using Xunit.Abstractions;

namespace NetSpec.Runtime.Tests.Distributed;

/// <summary>
/// SyncBN allocates nothing a step that grows with the layer: its per-channel sums go through the device's scratch
/// (<c>HostScratch</c>). A steady training step of one batch norm (statistics, apply, backward with ReLU) on a fake
/// 2-rank communicator allocates the same on the calling thread at 16 and at 512 channels; the loops' closures
/// are the same objects at any width, while one array of a double per channel (what each all-reduce took before)
/// makes the 512-channel step at least 8·(512 − 16) bytes heavier.
/// </summary>
public sealed class SyncBatchNormAllocationTests(ITestOutputHelper output)
{
    private const int Narrow = 16, Wide = 512;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_steady_step_allocates_nothing_that_grows_with_the_channels(bool hostCode)
    {
        long narrow = StepBytes(hostCode, Narrow), wide = StepBytes(hostCode, Wide);
        output.WriteLine($"{(hostCode ? "host code" : "kernels")}: {narrow} bytes a step at {Narrow} channels, {wide} at {Wide}");
        Assert.True(wide - narrow < 8 * (Wide - Narrow), $"a step at {Wide} channels allocates {wide - narrow} bytes more than at {Narrow}");
    }

    // the fewest bytes the calling thread allocates in one of 3 steps after 3 to warm up (the fewest: a parallel loop
    // that finds the workers busy with another test's runs serially and allocates less, never more)
    private static long StepBytes(bool hostCode, int c)
    {
        const int n = 2, h = 4, w = 4;
        using Device d = Device.Create("cpu");
        d.HostCode = hostCode;
        d.Communicator = new Mirror();
        using var s = new BuffersScope(d);
        float[] values = Enumerable.Range(0, n * c * h * w).Select(i => MathF.Sin(0.37f * i)).ToArray();
        Tensor x = s.Tensor(values, n, c, h, w), dy = s.Tensor(values, n, c, h, w), y = s.Tensor(n, c, h, w, 0), dx = s.Tensor(n, c, h, w, 0);
        ArrayView<float> gamma = s.Filled(c, 1), beta = s.Filled(c, 0), mean = s.Filled(c, 0), inv = s.Filled(c, 0);
        ArrayView<float> rm = s.Filled(c, 0), rv = s.Filled(c, 1), counter = s.Filled(1, 0), dg = s.Filled(c, 0), db = s.Filled(c, 0);
        long fewest = long.MaxValue;
        for (int step = 0; step < 6; step++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            BatchNorm.Statistics(d, x, mean, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
            BatchNorm.Apply(d, x, mean, inv, gamma, beta, y, relu: true);
            BatchNorm.Backward(d, x, y, dy, mean, inv, gamma, dx, dg, db, relu: true, accumulate: false);
            d.Synchronize();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            if (step >= 3)
                fewest = Math.Min(fewest, bytes);
        }

        return fewest;
    }

    /// <summary>Two ranks that hold the same values: an all-reduce doubles them, in place, allocating nothing.</summary>
    private sealed class Mirror : ICommunicator
    {
        public int Rank => 0;

        public int Size => 2;

        public void AllReduceSum(Span<float> values)
        {
            foreach (ref float v in values)
                v *= 2;
        }

        public void AllReduceSum(Span<double> values)
        {
            foreach (ref double v in values)
                v *= 2;
        }

        public IPendingReduce StartAllReduceSum(Memory<float> values) => throw new NotSupportedException();

        public void Broadcast(Span<byte> bytes, int root) { }

        public void Barrier() { }

        public void Abort(int exitCode) => throw new NotSupportedException();

        public void Dispose() { }
    }
}
