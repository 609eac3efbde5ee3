using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Scheduling;

/// <summary>
/// Turns the typed graph's node order into forward steps, fusing where legal: a node whose output has one reader (not
/// a spec output, same train_only) heads a fused step when its rule absorbs the reader's op (<c>OpRule.Absorbs</c>:
/// batch norm + relu, SA's gate mul + add).
/// </summary>
public static class Fusion
{
    public static EquatableArray<ForwardStep> Schedule(TypedGraph graph)
    {
        IReadOnlyDictionary<string, List<TypedNode>> consumers = graph.Consumers();
        var outputs = new HashSet<string>(graph.Spec.Outputs.Select(o => o.Tensor));
        var steps = new List<ForwardStep>();
        var absorbed = new HashSet<string>();
        bool SoleConsumer(TypedNode node, out TypedNode next)
        {
            next = null!;
            if (outputs.Contains(node.Node.Output) || consumers[node.Node.Output].Count != 1)
                return false;
            next = consumers[node.Node.Output][0];
            return next.Node.TrainOnly == node.Node.TrainOnly && next.Node.Inputs.Count(i => i == node.Node.Output) == 1;
        }

        foreach (TypedNode node in graph.Nodes)
        {
            if (absorbed.Contains(node.Name))
                continue;
            int index = steps.Count;
            StepKind? fused = SoleConsumer(node, out TypedNode next) ? OpCatalog.Rule(node.Op).Absorbs(OpCatalog.Rule(next.Op)) : null;
            if (fused == StepKind.BatchNormRelu)
            {
                absorbed.Add(next.Name);
                steps.Add(new ForwardStep(index, StepKind.BatchNormRelu, Names(node, next), node.Node.Inputs, next.Node.Output, node.Node.TrainOnly));
                continue;
            }

            if (fused == StepKind.AttentionGate && IsGate(node, next, graph, out string attn, out string res))
            {
                absorbed.Add(next.Name);
                steps.Add(new ForwardStep(index, StepKind.AttentionGate, Names(node, next), new[] { attn, res }.ToEquatableArray(), next.Node.Output, node.Node.TrainOnly));
                continue;
            }

            steps.Add(new ForwardStep(index, StepKind.Op, Names(node), node.Node.Inputs, node.Node.Output, node.Node.TrainOnly));
        }

        return steps.ToEquatableArray();
    }

    private static EquatableArray<string> Names(params TypedNode[] nodes) => nodes.Select(n => n.Name).ToEquatableArray();

    /// <summary>mul(a, r) → m; add(m, a) or add(a, m) with every shape equal (no broadcasting).</summary>
    private static bool IsGate(TypedNode mul, TypedNode add, TypedGraph graph, out string attn, out string res)
    {
        attn = res = "";
        string other = add.Node.Inputs.First(i => i != mul.Node.Output);
        if (!mul.Node.Inputs.Contains(other) || mul.Node.Inputs[0] == mul.Node.Inputs[1])
            return false;
        EquatableArray<Dim> shape = mul.Output;
        if (!mul.Node.Inputs.All(i => graph.Tensor(i).Shape.Equals(shape)) || !add.Output.Equals(shape))
            return false;
        attn = other;
        res = mul.Node.Inputs.First(i => i != other);
        return true;
    }
}
