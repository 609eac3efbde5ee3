using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Reports;

/// <summary>One row of <c>SANet info</c>: a node, its output shape at the given size, its parameters and FLOPs.</summary>
public sealed record ReportRow(string Name, string Op, string SymbolicShape, long[] Shape, long Params, long Flops);

/// <summary>
/// A spec's summary at concrete N, H, W: rows per node and totals. FLOPs count a multiply-accumulate as
/// 2 (see <see cref="FlopRules"/>); parameters are trainable weights and biases (BN running stats excluded);
/// memory is the planned arena peak (activations; with gradients and saved tensors when training).
/// </summary>
public sealed record SpecReport(
    string SpecName,
    int N,
    int H,
    int W,
    IReadOnlyList<ReportRow> Rows,
    long TotalParams,
    long TotalFlops,
    long InferencePeakBytes,
    long TrainingPeakBytes)
{
    public double GFlops => TotalFlops / 1e9;

    public static SpecReport Build(CompiledNetwork network, int n, int h, int w)
    {
        IReadOnlyDictionary<string, int> sizes = TypedGraph.Sizes(n, h, w);
        TypedGraph graph = network.Graph;
        var rows = new List<ReportRow>();
        foreach (TypedNode node in graph.Nodes)
        {
            long[] output = Shape.Eval(node.Output, sizes);
            var inputs = node.Node.Inputs.Select(i => Shape.Eval(graph.Tensor(i).Shape, sizes)).ToList();
            rows.Add(new ReportRow(node.Name, node.Op, Shape.Format(node.Output), output, node.ParamCount, FlopRules.Forward(node.Node, inputs, output)));
        }

        return new SpecReport(graph.Spec.Name, n, h, w, rows, graph.ParamCount, rows.Sum(r => r.Flops),
            network.InferencePlan.PeakBytes(sizes), network.TrainingPlan.PeakBytes(sizes));
    }

    /// <summary>Compiles <paramref name="spec"/> and reports it; null (with diagnostics) when it does not compile.</summary>
    public static SpecReport? Build(ExpandedSpec spec, int n, int h, int w, out EquatableArray<SpecDiagnostic> diagnostics)
    {
        CompileResult result = SpecCompiler.Compile(spec);
        diagnostics = result.Diagnostics;
        return result.Network is null ? null : Build(result.Network, n, h, w);
    }
}
