using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using static NetSpec.Dsl.Shapes.MiddleDiagnostics;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// Orders the nodes (NS0011 on a cycle), infers every tensor's symbolic shape (NS0012, NS0014),
/// names and shapes the parameters, and warns about tensors nobody uses (NS0013).
/// </summary>
public static class ShapeInference
{
    public static TypedGraph? Run(ExpandedSpec spec, List<SpecDiagnostic> diagnostics)
    {
        int errorsBefore = diagnostics.Count(d => d.Severity == Severity.Error);
        var shapes = new Dictionary<string, EquatableArray<Dim>>();
        var tensors = new List<TensorInfo>();
        foreach (InputDecl input in spec.Inputs)
        {
            EquatableArray<Dim> shape = input.Dims.Select(ParseDim).ToEquatableArray();
            shapes[input.Name] = shape;
            tensors.Add(new TensorInfo(input.Name, shape, null, input.Kind == InputKind.Image ? TensorRole.Image : TensorRole.Label));
        }

        List<OpNode>? order = TopologicalOrder.Sort(spec, diagnostics);
        if (order is null)
            return null;

        var groups = spec.Groups.ToDictionary(g => g.Name);
        var lossNodes = new HashSet<string>(spec.Losses.Select(l => l.Node));
        var nodes = new List<TypedNode>();
        IReadOnlyDictionary<string, int> defaults = DefaultSizes(spec);
        foreach (OpNode node in order)
        {
            if (!node.Inputs.All(shapes.ContainsKey))
                continue; // an input failed earlier: its error is already reported
            var inputShapes = node.Inputs.Select(i => shapes[i]).ToList();
            EquatableArray<Dim>? output = ShapeRules.Infer(node, inputShapes, diagnostics);
            if (output is null)
                continue;
            if (output.Value.Any(d => d.Eval(defaults) < 1))
            {
                diagnostics.Add(Error(InvalidConfiguration,
                    $"Invalid configuration of '{node.Name}': {node.Op} output {Shape.Format(output.Value)} has a non-positive size at the default input size (H={defaults["H"]}, W={defaults["W"]})",
                    node.Location));
                continue;
            }

            ParamGroupDecl group = groups.TryGetValue(node.ParamGroup, out ParamGroupDecl? g)
                ? g
                : new ParamGroupDecl(node.ParamGroup, 1.0, true, node.Location);
            shapes[node.Output] = output.Value;
            tensors.Add(new TensorInfo(node.Output, output.Value, node.Name, lossNodes.Contains(node.Name) || output.Value.Count == 0 ? TensorRole.Loss : TensorRole.Activation));
            nodes.Add(new TypedNode(node, output.Value, ParamRules.For(node, inputShapes[0], group).ToEquatableArray()));
        }

        WarnUnused(spec, order, diagnostics);
        if (diagnostics.Count(d => d.Severity == Severity.Error) > errorsBefore)
            return null;
        return new TypedGraph(spec, nodes.ToEquatableArray(), tensors.ToEquatableArray(),
            nodes.SelectMany(n => n.Params).ToEquatableArray());
    }

    public static IReadOnlyDictionary<string, int> DefaultSizes(ExpandedSpec spec) => TypedGraph.Sizes(
        spec.DefaultSizes.FirstOrDefault(s => s.Symbol == "N")?.Value ?? 1,
        spec.DefaultSizes.FirstOrDefault(s => s.Symbol == "H")?.Value ?? 480,
        spec.DefaultSizes.FirstOrDefault(s => s.Symbol == "W")?.Value ?? 480);

    private static Dim ParseDim(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long v)
            ? Dim.Const(v)
            : Dim.Sym(text);

    private static void WarnUnused(ExpandedSpec spec, List<OpNode> order, List<SpecDiagnostic> diagnostics)
    {
        var used = new HashSet<string>(order.SelectMany(n => n.Inputs));
        used.UnionWith(spec.Outputs.Select(o => o.Tensor));
        var lossNodes = new HashSet<string>(spec.Losses.Select(l => l.Node));
        foreach (OpNode node in order)
            if (!used.Contains(node.Output) && !lossNodes.Contains(node.Name))
                diagnostics.Add(Warning(UnusedTensor, $"Tensor '{node.Output}' is never used (no node, output or loss reads it)", node.Location));
    }
}
