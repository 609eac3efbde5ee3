using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// Runs a network's backward and averages its weights' gradients over the ranks (docs/distributed.md, "Training"):
/// the arena's gradient buffer is cut into a few <see cref="GradientBuckets"/>, and each bucket's all-reduce starts
/// from the generated Backward's <see cref="Device.GradientsReady"/> call that finishes its last weight, while
/// backward goes on. At every such call the buckets in flight are tested, so that Open MPI moves them on. CPU-accelerator
/// memory is all-reduced in place; other devices' buckets go through a host copy (one download and one upload a
/// bucket). Every rank starts the same buckets in the same order: the order backward finishes them.
/// </summary>
public sealed unsafe class GradientAverager : IGradientListener
{
    private readonly ICommunicator comm;
    private readonly INetwork network;
    private readonly GradientBucket[] buckets;
    private readonly Dictionary<Parameter, int> bucketOf = [];
    private readonly int[] weightsOf; // per bucket: its weights
    private readonly int[] waiting; // per bucket: weights not yet announced in this backward
    private readonly HashSet<Parameter> heard = [];
    private readonly Memory<float>[] memory; // per bucket: what is all-reduced (the arena's floats, or the host copy's)
    private readonly IPendingReduce?[] pending;
    private readonly bool[] complete;
    private readonly int[] startOrder;
    private readonly float[]? staging; // devices whose memory is not host memory: the gradients' host copy
    private readonly ArrayView1D<float, Stride1D.Dense> grads;
    private int started;

    /// <param name="comm">The ranks.</param>
    /// <param name="network">The network whose weights' gradients are averaged (one arena).</param>
    /// <param name="bucketFloats">Floats a bucket at most; 0: <see cref="GradientBuckets.DefaultFloats"/>.</param>
    /// <param name="throughHostCopy">Copy each bucket to a host array and back even when the device's memory is host
    /// memory (what other devices do; for tests on the CPU).</param>
    public GradientAverager(ICommunicator comm, INetwork network, long bucketFloats = 0, bool throughHostCopy = false)
    {
        this.comm = comm;
        this.network = network;
        IReadOnlyList<Parameter> weights = [.. network.Parameters.Where(p => p.Grad is not null)];
        ParameterArena? arena = weights.Count > 0 ? weights[0].Arena : null;
        long length = arena?.WeightLength ?? 0;
        buckets = [.. GradientBuckets.Cut(network.Parameters, bucketFloats > 0 ? bucketFloats : GradientBuckets.DefaultFloats(length))];
        for (int b = 0; b < buckets.Length; b++)
        {
            foreach (Parameter p in buckets[b].Weights)
                bucketOf[p] = b;
        }

        weightsOf = [.. buckets.Select(b => b.Weights.Count)];
        waiting = new int[buckets.Length];
        pending = new IPendingReduce?[buckets.Length];
        complete = new bool[buckets.Length];
        startOrder = new int[buckets.Length];
        memory = new Memory<float>[buckets.Length];
        Floats = length;
        if (arena is null)
            return;
        grads = arena.WeightGrads;
        bool host = grads.GetAccelerator().AcceleratorType == AcceleratorType.CPU && !throughHostCopy;
        if (!host)
            staging = new float[checked((int)length)];
        for (int b = 0; b < buckets.Length; b++)
        {
            (long start, int count) = (buckets[b].Start, checked((int)buckets[b].Length));
            memory[b] = host ? new HostFloats(HostAccess.Pointer<float>(grads.SubView(start, count)), count).Memory : staging.AsMemory((int)start, count);
        }
    }

    /// <summary>The buckets, in arena order.</summary>
    public IReadOnlyList<GradientBucket> Buckets => buckets;

    /// <summary>Floats all-reduced a step: the gradient buffer, alignment gaps included.</summary>
    public long Floats { get; }

    /// <summary>Buckets of the last <see cref="Backward"/> whose all-reduce started before the network's Backward returned.</summary>
    public int StartedDuringBackward { get; private set; }

    /// <summary>The last <see cref="Backward"/>'s buckets in the order they started (indices into <see cref="Buckets"/>).</summary>
    public ReadOnlySpan<int> StartOrder => startOrder.AsSpan(0, started);

    /// <summary>The network's Backward, then every weight's gradient is the mean of the ranks' (the same bits on every rank).</summary>
    public void Backward()
    {
        weightsOf.CopyTo(waiting, 0);
        Array.Clear(pending);
        Array.Clear(complete);
        heard.Clear();
        started = 0;
        Device device = network.Device;
        device.GradientListener = this;
        try
        {
            network.Backward();
        }
        finally
        {
            device.GradientListener = null;
        }

        StartedDuringBackward = started;
        for (int b = 0; b < buckets.Length; b++)
        {
            if (pending[b] is null)
                Start(b); // weights no backward step wrote (or a network generated without the calls): in arena order
        }

        float scale = 1f / comm.Size;
        foreach (int b in StartOrder)
        {
            pending[b]!.Wait();
            Span<float> sums = memory[b].Span;
            TensorPrimitives.Multiply(sums, scale, sums);
            if (staging is not null)
                DeviceData.Upload(grads.SubView(buckets[b].Start, buckets[b].Length), sums);
        }
    }

    void IGradientListener.GradientsReady(ReadOnlySpan<Parameter> weights)
    {
        foreach (Parameter p in weights)
        {
            if (bucketOf.TryGetValue(p, out int b) && heard.Add(p) && --waiting[b] == 0)
                Start(b);
        }

        foreach (int b in StartOrder)
        {
            if (!complete[b])
                complete[b] = pending[b]!.Test();
        }
    }

    private void Start(int b)
    {
        if (staging is null)
            network.Device.Synchronize(); // kernels on the CPU accelerator's threads may still write the bucket
        else
            DeviceData.Download(grads.SubView(buckets[b].Start, buckets[b].Length), memory[b].Span);
        pending[b] = comm.StartAllReduceSum(memory[b]);
        startOrder[started++] = b;
    }
}
