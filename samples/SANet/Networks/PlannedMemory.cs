using NetSpec.Dsl;
using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Shapes;
using NetSpec.Runtime;
using NetSpec.Runtime.Gemm;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Training;
using NetSpec.Runtime.Weights;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>One named part of a network's planned memory, in bytes.</summary>
public sealed record MemoryTerm(string Name, long Bytes);

/// <summary>
/// What a network will hold in the device's memory while it runs (the memory check's sum: <see cref="MemoryBudget"/>),
/// term by term from the compiled plan and the runtime's own sizing, each the size of an allocation the runtime makes:
/// the parameter arena's values (every parameter at a multiple of 64 floats: ParameterArena), its gradients and the
/// optimizer's momentum (training), the planned activation arena (the compiler's MemoryPlan, as ArenaBinder places it),
/// the conv workspace (Device.Workspace: the largest request of any conv, Conv2d.WorkspaceFloats), and on the host the
/// GEMM's per-thread packing buffers, the chunk buffers that initialise, save and load parameters, and the process itself
/// (docs/memory.md lists the terms and the measurements).
/// </summary>
public static class PlannedMemory
{
    /// <summary>
    /// The process itself: the .NET runtime, ILGPU's context, the sample's loaded code and its small objects. Measured as
    /// the peak resident set of the smallest training run (sanet-tiny-voc, 2×3×64×64, a checkpoint: 130.1 MiB) less its
    /// other terms (54.7 MiB, the GEMM buffers counted whole): 75.4 MiB, rounded up to 80 MiB (docs/memory.md). Host only.
    /// </summary>
    public const long ProcessBytes = 80L << 20;

    /// <summary>The terms for <paramref name="network"/> at batch × 3 × size × size on <paramref name="device"/>, largest first.</summary>
    public static List<MemoryTerm> Terms(CompiledNetwork network, Device device, int batch, int size, bool training)
    {
        var sizes = TypedGraph.Sizes(batch, size, size);
        TypedGraph graph = network.Graph;
        long values = graph.Params.Sum(p => ParameterArena.AlignUp(p.Length));
        long weights = graph.Params.Where(p => p.Kind == ParamKind.Weight).Sum(p => ParameterArena.AlignUp(p.Length));
        long largest = graph.Params.Select(p => p.Length).DefaultIfEmpty(0).Max();
        var terms = new List<MemoryTerm> { new("parameter values", 4 * values) };
        if (training)
        {
            terms.Add(new("gradients", 4 * weights));
            terms.Add(new("momentum", 4 * MomentumFloats(graph, weights)));
        }

        terms.Add(new(training ? "activations (training plan)" : "activations (inference plan)",
            training ? network.TrainingPlan.PeakBytes(sizes) : network.InferencePlan.PeakBytes(sizes)));
        terms.Add(new("conv workspace", 4 * ConvWorkspaceFloats(graph, device, sizes, training)));
        if (device.HostCode)
        {
            terms.Add(new("GEMM packing (per thread)", Environment.ProcessorCount * CpuGemm.ThreadBufferBytes));
            // a checkpoint read (resume, eval) holds the largest tensor as bytes and as floats; init and save hold a chunk
            terms.Add(new("largest tensor read from a checkpoint", Math.Max(8 * largest, 4L * Math.Max(Initializers.ChunkFloats, SafeTensorSource.ChunkFloats))));
            terms.Add(new("process (runtime, code)", ProcessBytes));
        }

        return terms.OrderByDescending(t => t.Bytes).ToList();
    }

    // Sgd's one run over the arena's weights (ParameterArena: grouped by lr multiplier and decay in order of first
    // appearance, then in state_dict order): their aligned span less the last one's alignment gap
    private static long MomentumFloats(TypedGraph graph, long weights)
    {
        ParamInfo? last = graph.Params.Where(p => p.Kind == ParamKind.Weight)
            .GroupBy(p => (p.LrMult, p.WeightDecay)).LastOrDefault()?.Last();
        return last is null ? 0 : weights - (ParameterArena.AlignUp(last.Length) - last.Length);
    }

    // the largest workspace request of any conv (the workspace grows to it and stays)
    private static long ConvWorkspaceFloats(TypedGraph graph, Device device, IReadOnlyDictionary<string, int> sizes, bool training)
    {
        long most = 0;
        foreach (TypedNode node in graph.Nodes.Where(n => n.Op == "conv2d"))
        {
            long[] x = Shape.Eval(graph.Tensor(node.Node.Inputs[0]).Shape, sizes); // (N, C, H, W)
            Conv2dAttributes a = node.Node.AttributesAs<Conv2dAttributes>();
            var g = new Runtime.Ops.ConvGeometry(a.Kernel.H, a.Kernel.W, a.Stride.H, a.Stride.W, a.Padding.H, a.Padding.W, a.Dilation.H, a.Dilation.W, a.Groups);
            most = Math.Max(most, Conv2d.WorkspaceFloats(device, (int)x[0], (int)x[1], (int)x[2], (int)x[3], a.OutChannels, g, training));
        }

        return most;
    }
}
