namespace NetSpec.Runtime.Profiling;

/// <summary>
/// A roofline estimate of a traced step on a named GPU (docs/design/gpu-path.md explains each constant):
/// <list type="bullet">
/// <item>a kernel launch moves the bytes of the views passed to it once (read or written; an in-place update
/// counts once) at <see cref="BandwidthEfficiency"/> of peak HBM bandwidth, unless its threads wait longer for
/// their loads (<see cref="LatencySeconds"/>: an iteration's loads together, one <see cref="LoadLatencySeconds"/>
/// an iteration: Little's law) or its index arithmetic takes longer (<see cref="IndexOpsPerElement"/>); the runtime's kernels do
/// a few flops per element, below the ridge point (67 TFLOP/s / 3.35 TB/s = 20 flops a byte);</item>
/// <item>a GEMM takes max(FLOPs / (peak · efficiency(m,n,k)), bytes / bandwidth), the peak being TF32's when
/// TF32 is allowed, float32's otherwise (<see cref="GemmEfficiency"/>);</item>
/// <item>no launch or BLAS call takes less than <see cref="LaunchMicroseconds"/> (the host issues them one by
/// one; shorter kernels leave the GPU waiting for the next);</item>
/// <item>a host sync or copy waits for the device and a round trip (<see cref="SyncMicroseconds"/>), a copy
/// also moves its bytes over PCIe (<see cref="PcieGBytesPerSecond"/>); a workspace growth is a sync plus an
/// allocation (<see cref="AllocationMicroseconds"/>).</item>
/// </list>
/// </summary>
public sealed class CostModel(GpuSpec gpu)
{
    /// <summary>
    /// Achievable fraction of peak HBM bandwidth for streaming kernels: STREAM-like copies reach about 90% on
    /// HBM GPUs (e.g. about 3.0 of 3.35 TB/s on an H100 SXM).
    /// </summary>
    public const double BandwidthEfficiency = 0.9;

    /// <summary>
    /// Bytes of an element of a kernel's largest view (float32): a grid-stride thread takes one element of it a loop
    /// iteration (ILGPU does not unroll the loops; a warp's 32 loads share a 128-byte line).
    /// </summary>
    public const double BytesInFlightPerThread = 4;

    /// <summary>
    /// Bytes in flight for a thread that walks contiguous memory alone (<see cref="SequentialPerThread"/>): one
    /// 128-byte line per miss, the next 31 floats served from it.
    /// </summary>
    public const double LineBytes = 128;

    /// <summary>
    /// Latency of an HBM load under load: 700 ns. Calibrated on the measured H100 batch-norm statistics
    /// (docs/gpu-notes.md: 0.35 ms over (16,64,120,120), read twice by 64 × 1024 threads, gives 780 ns).
    /// </summary>
    public const double LoadLatencySeconds = 700e-9;

    /// <summary>
    /// The least time a launch takes in a stream of launches: CUDA's launch call costs the host 2–3 µs, ILGPU's
    /// launcher adds its argument marshalling and stream binding, and cuBLAS its heuristic; 4 µs a launch.
    /// </summary>
    public const double LaunchMicroseconds = 4;

    /// <summary>A host sync (or the drain before a copy): the queue's round trip, about 10 µs.</summary>
    public const double SyncMicroseconds = 10;

    /// <summary>Pageable host copies over PCIe Gen5 x16 (64 GB/s raw) reach about 25 GB/s.</summary>
    public const double PcieGBytesPerSecond = 25;

    /// <summary>A cudaMalloc + cudaFree of a workspace of tens of MB: about 100 µs.</summary>
    public const double AllocationMicroseconds = 100;

    /// <summary>cuBLAS's CTA tile for large float32/TF32 GEMMs on Hopper, as CUTLASS's defaults (128×128).</summary>
    public const int GemmTile = 128;

    /// <summary>The K at which a tile's prologue and epilogue (loading the first slices, writing C) cost as much as its main loop.</summary>
    public const int GemmHalfK = 128;

    public GpuSpec Gpu { get; } = gpu;

    /// <summary>
    /// The fraction of peak a GEMM of this shape reaches: a calibrated ceiling × tile fill (C padded to 128×128
    /// tiles) × wave fill (tiles, times their K slices under split-K, over the SMs, the last wave partly idle) ×
    /// k / (k + 128) (a tile's fixed cost against its main loop, k being a slice's). The ceiling makes a 4096³ product match the H100's measured 438 TFLOP/s (TF32)
    /// and 51.7 TFLOP/s (float32) (docs/gpu-notes.md).
    /// </summary>
    public double GemmEfficiency(int m, int n, int k, bool tf32)
    {
        double ceiling = tf32 ? Tf32Ceiling : Fp32Ceiling;
        return ceiling * ShapeFactor(m, n, k, Gpu.Sms);
    }

    // 4096³ on the H100 that was measured: 438 / 494.5 and 51.7 / 67 of peak, divided by the shape factor there
    private static double Tf32Ceiling => 438 / 494.5 / ShapeFactor(4096, 4096, 4096, 132);

    private static double Fp32Ceiling => 51.7 / 67.0 / ShapeFactor(4096, 4096, 4096, 132);

    internal static double ShapeFactor(int m, int n, int k, int sms)
    {
        if (m <= 0 || n <= 0 || k <= 0)
            return 1;
        long tilesM = (m + GemmTile - 1) / GemmTile, tilesN = (n + GemmTile - 1) / GemmTile;
        long tiles = tilesM * tilesN;
        double tileFill = (double)m * n / (tiles * GemmTile * (double)GemmTile);
        long splits = SplitK(tiles, k, sms);
        long blocks = tiles * splits;
        long waves = (blocks + sms - 1) / sms;
        double waveFill = (double)blocks / (waves * sms);
        double kSlice = (double)k / splits;
        double kFill = kSlice / (kSlice + GemmHalfK);
        return tileFill * waveFill * kFill;
    }

    /// <summary>
    /// Slices of K a GEMM with fewer tiles than SMs is split into (cuBLAS's split-K kernels, chosen by its heuristic
    /// for such shapes: the weight gradients, small m·n over a long k): enough to fill the SMs once, each slice at
    /// least 4·<see cref="GemmHalfK"/> long (so its own k-fill stays at 0.8 or more). The partial sums' reduction is
    /// not counted (m·n floats per slice, small beside the slices' own traffic for these shapes).
    /// </summary>
    internal static long SplitK(long tiles, int k, int sms) =>
        tiles >= sms ? 1 : Math.Max(1, Math.Min(sms / tiles, k / (4 * GemmHalfK)));

    /// <summary>Estimated seconds of one event, and its FLOPs and device bytes.</summary>
    public EventCost Cost(TraceEvent e)
    {
        double bandwidth = Gpu.HbmTBytesPerSecond * 1e12 * BandwidthEfficiency;
        double floor = LaunchMicroseconds * 1e-6;
        switch (e)
        {
            case KernelLaunch k:
                {
                    double streaming = k.ViewBytes / bandwidth;
                    double inFlight = LatencySeconds(k);
                    double index = IndexOpsPerElement(k.Name) * (double)k.LargestView / (Gpu.Int32Tops * 1e12);
                    double roofline = Math.Max(streaming, Math.Max(inFlight, index));
                    return new EventCost(0, k.ViewBytes, roofline, Math.Max(roofline, floor));
                }

            case GemmCall g:
                {
                    double peak = (g.Tf32 ? Gpu.Tf32Tflops : Gpu.Fp32Tflops) * 1e12;
                    double compute = g.Flops == 0 ? 0 : g.Flops / (peak * GemmEfficiency(g.M, g.N, g.K, g.Tf32));
                    double roofline = Math.Max(compute, g.Bytes / bandwidth);
                    return new EventCost(g.Flops, g.Bytes, roofline, Math.Max(roofline, floor));
                }

            case HostCopy c:
                return new EventCost(0, 0, 0, (SyncMicroseconds * 1e-6) + (c.Kind == CopyKind.Zero ? c.Bytes / bandwidth : c.Bytes / (PcieGBytesPerSecond * 1e9)));
            case HostSync:
                return new EventCost(0, 0, 0, SyncMicroseconds * 1e-6);
            case WorkspaceGrowth:
                return new EventCost(0, 0, 0, AllocationMicroseconds * 1e-6); // its sync is recorded on its own
            default:
                return new EventCost(0, 0, 0, 0);
        }
    }

    /// <summary>
    /// What a kernel's threads wait for their loads (Little's law, per thread): a thread issues the loads of one loop
    /// iteration together (one per view it reads, none depending on another) and waits <see cref="LoadLatencySeconds"/>
    /// once for them; its stores do not wait. So the time is the iterations a thread makes × the latency, whatever the
    /// number of views: iterations = elements of the largest view / (threads × <see cref="ElementsPerIteration"/>)
    /// (a grid-stride loop takes an element of its largest view an iteration; a gather's inner loop one element of the
    /// view it gathers from, each a load of its own), or for a thread that walks contiguous memory alone
    /// (<see cref="SequentialPerThread"/>) one iteration per 128-byte line of it. The largest view is taken as float32.
    /// (Before, every view's bytes were charged at one float a thread per latency: a kernel reading and writing three
    /// views was priced 3× its latency-bound time.)
    /// </summary>
    public static double LatencySeconds(KernelLaunch k)
    {
        if (k.Threads <= 0)
            return 0;
        double perIteration = SequentialPerThread(k.Name) ? LineBytes / BytesInFlightPerThread : ElementsPerIteration(k.Name);
        return k.LargestView / (k.Threads * perIteration) * LoadLatencySeconds;
    }

    /// <summary>
    /// Integer operations per element of a kernel's largest view spent on index arithmetic, counted from the
    /// kernels' code (Ops/*.cs). A division by a value known only at run time has no hardware instruction: a
    /// 32-bit one is emulated in about 20 instructions (the kernels no longer divide 64-bit values); its remainder
    /// comes with it; 10 more go to addresses, bounds and the loop. im2col: no division per element since its threads
    /// step by digits (ColumnDigits: five digits at an add, an add of the carry, a compare and a multiply-subtract,
    /// 22; h and w 6; bounds 6; x's address 6; the store and the loop 5: 45). col2im (strided convs): 4 per input
    /// element plus one per kernel row and per tap, 16 for a 3×3 kernel over its 9 column elements, ~10 operations a
    /// tap (46). col2im.s1 (stride 1, digits as im2col): per input element 14 for its digits, 6 a kernel row and 11 a
    /// tap, 140 for a 3×3 kernel over its 9 column elements (16). Batch-norm partial sums, gap.bwd, presence: one (30).
    /// bn.bwd.input (SyncBN's), bias.add, concat.copy: two (50). binary and mul.bwd.a (BroadcastIndex), bilinear.fwd,
    /// nearest.fwd: three (70). maxpool.bwd, avgpool.bwd (gathers): three plus four by the stride (CeilDiv/FloorDiv)
    /// per input element (150). max- and avg-pool forward: three per output, a quarter of the input at stride 2 (25).
    /// bilinear.bwd, nearest.bwd (gathers): three plus two binary searches of ~9 steps per input element (~220),
    /// over the 4 or more output elements each gathers (55). ce.partial and ce.bwd divide once per pixel, counted 0
    /// beside the pixel's K logits. The batch-norm slice kernels (bn.fwd.stats, bn.fwd.apply, bn.bwd.sums, bn.bwd.apply:
    /// PlaneCursor) step by digits: the cursor's add, compare and carry 7, the address 4, the second element's select and
    /// the loop's add and compare shared by two elements 2 (13); their finishing prologue reads a channel's partials once a
    /// group, not counted. Other kernels (conv.dw.sum, group-tree reductions, elementwise): 0.
    /// </summary>
    public static double IndexOpsPerElement(string kernel) => kernel switch
    {
        "im2col" => 45,
        "col2im" => 46,
        "col2im.s1" => 16,
        "bn.stats.partial" or "bn.bwd.partial" or "gap.bwd" or "presence" => 30,
        "bn.bwd.input" or "bias.add" or "concat.copy" => 50,
        "binary" or "mul.bwd.a" or "bilinear.fwd" or "nearest.fwd" => 70,
        "maxpool.bwd" or "avgpool.bwd" => 150,
        "bilinear.bwd" or "nearest.bwd" => 55,
        "maxpool.fwd" or "avgpool.fwd" => 25,
        "bn.fwd.stats" or "bn.fwd.apply" or "bn.bwd.sums" or "bn.bwd.apply" => 13,
        _ => 0,
    };

    /// <summary>
    /// Elements a thread of a grid-stride kernel loads in one iteration, every load issued before the first is used: 1 (the
    /// loops are not unrolled), except the batch-norm slice kernels, written to take two elements an iteration (their
    /// iterations are half their elements).
    /// </summary>
    public static int ElementsPerIteration(string kernel) =>
        kernel is "bn.fwd.stats" or "bn.fwd.apply" or "bn.bwd.sums" or "bn.bwd.apply" ? 2 : 1;

    /// <summary>
    /// Kernels with a thread per output value that sums a contiguous run alone (broadcast.reduce: a thread per
    /// element of b; gap.fwd: a thread per plane; bce.fwd: one thread; the generated losses' means): few threads,
    /// each with a line in flight. The group-tree reductions (bn.stats.finish, bn.bwd.params, bias.grad, ce.finish,
    /// ce.count: Ops/GroupSum.cs) are not: their group's threads read adjacent floats, so the model treats them as
    /// streaming kernels (their launch's threads, an element of the largest view each an iteration), the tree's barriers
    /// not counted; it counts every view passed to them, so where a kernel skips one (the eval batch-norm finish
    /// never reads its partial sums) it overestimates.
    /// </summary>
    public static bool SequentialPerThread(string kernel) =>
        kernel is "broadcast.reduce" or "gap.fwd" or "bce.fwd"
        || kernel.EndsWith("Mean", StringComparison.Ordinal);

    /// <summary>The step's cost per op (kernel name, GEMM shape, host event) and in total, most expensive first.</summary>
    public StepEstimate Estimate(IReadOnlyList<TraceEvent> events)
    {
        var rows = new Dictionary<string, OpCost>(StringComparer.Ordinal);
        foreach (TraceEvent e in events)
        {
            string op = OpName(e);
            EventCost c = Cost(e);
            rows[op] = rows.TryGetValue(op, out OpCost? row)
                ? row with { Calls = row.Calls + 1, Flops = row.Flops + c.Flops, Bytes = row.Bytes + c.Bytes, RooflineSeconds = row.RooflineSeconds + c.RooflineSeconds, Seconds = row.Seconds + c.Seconds }
                : new OpCost(op, 1, c.Flops, c.Bytes, c.RooflineSeconds, c.Seconds);
        }

        return new StepEstimate(Gpu, rows.Values.OrderByDescending(r => r.Seconds).ThenBy(r => r.Op, StringComparer.Ordinal).ToList());
    }

    /// <summary>The row an event is counted in: the kernel's name, <c>gemm NT tf32</c>, <c>host sync</c>, ….</summary>
    public static string OpName(TraceEvent e) => e switch
    {
        KernelLaunch k => k.Name,
        GemmCall g => $"gemm {g.Shape}{(g.Tf32 ? " tf32" : " fp32")}",
        HostCopy c => $"host {c.Kind.ToString().ToLowerInvariant()}",
        HostSync => "host sync",
        WorkspaceGrowth => "workspace growth",
        _ => e.GetType().Name,
    };
}

/// <summary>One event's FLOPs, device bytes, roofline time and estimated time (roofline or the launch floor).</summary>
public readonly record struct EventCost(double Flops, double Bytes, double RooflineSeconds, double Seconds);

/// <summary>One op's calls and totals.</summary>
public sealed record OpCost(string Op, int Calls, double Flops, double Bytes, double RooflineSeconds, double Seconds);

/// <summary>A step's estimate: rows per op and the totals.</summary>
public sealed record StepEstimate(GpuSpec Gpu, IReadOnlyList<OpCost> Rows)
{
    public int Calls => Rows.Sum(r => r.Calls);

    public double Flops => Rows.Sum(r => r.Flops);

    public double Bytes => Rows.Sum(r => r.Bytes);

    public double RooflineSeconds => Rows.Sum(r => r.RooflineSeconds);

    public double Seconds => Rows.Sum(r => r.Seconds);
}
