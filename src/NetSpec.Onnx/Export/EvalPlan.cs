using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Export;

/// <summary>
/// What an inference model holds: the spec's outputs that eval computes, and the nodes they need, in the graph's
/// topological order. Outputs that need a <c>train_only</c> node are left out (eval skips those nodes, as the
/// generated Forward does), and so is an output that is the label input; losses and the label input are never needed by an
/// output that eval computes. An output that needs a node whose op has no ONNX form (<see cref="OnnxForm.None"/>: a loss)
/// is an error naming that node, its op and the op's reason.
/// </summary>
internal sealed record EvalPlan(IReadOnlyList<OutputDecl> Outputs, IReadOnlyList<string> LeftOut, IReadOnlyList<TypedNode> Nodes)
{
    public static EvalPlan Build(TypedGraph graph)
    {
        // a graph built by hand (not by the compiler) may name an op this build does not know
        if (graph.Nodes.FirstOrDefault(n => OpCatalog.FindRule(n.Op) is null) is { } unknown)
            throw new OnnxExportException($"{graph.Spec.Path}: node '{unknown.Name}' (op {unknown.Op}) of spec {graph.Spec.Name} is not in this build's op catalogue, so it has no ONNX form");
        var producers = graph.Nodes.ToDictionary(n => n.Node.Output, StringComparer.Ordinal);
        var byName = graph.Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var outputs = new List<OutputDecl>();
        var leftOut = new List<string>();
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (OutputDecl output in graph.Spec.Outputs)
        {
            var upstream = Upstream(output.Tensor, producers);
            if (upstream.Select(n => byName[n]).FirstOrDefault(n => !OpCatalog.Rule(n.Op).Onnx.IsExportable) is { } none)
            {
                throw new OnnxExportException(
                    $"{graph.Spec.Path}: output '{output.Name}' needs node '{none.Name}' (op {none.Op}), {OpCatalog.Rule(none.Op).Onnx.NotExportable}");
            }

            // a training-only node, or the label input itself (labels are a training input: the model has no such input)
            if (upstream.Any(n => byName[n].Node.TrainOnly) || graph.Tensor(output.Tensor).Role == TensorRole.Label)
            {
                leftOut.Add(output.Name);
                continue;
            }

            outputs.Add(output);
            needed.UnionWith(upstream);
        }

        if (outputs.Count == 0)
            throw new OnnxExportException($"{graph.Spec.Path}: spec {graph.Spec.Name} has no output that eval computes (left out as training-only: {string.Join(", ", leftOut)})");
        return new EvalPlan(outputs, leftOut, graph.Nodes.Where(n => needed.Contains(n.Name)).ToList());
    }

    // the nodes a tensor depends on (its producer and theirs, transitively)
    private static HashSet<string> Upstream(string tensor, Dictionary<string, TypedNode> producers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        stack.Push(tensor);
        while (stack.Count > 0)
        {
            if (!producers.TryGetValue(stack.Pop(), out TypedNode? node) || !seen.Add(node.Name))
                continue;
            foreach (string input in node.Node.Inputs)
                stack.Push(input);
        }

        return seen;
    }
}
