using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Scheduling;

/// <summary>
/// Turns the typed graph's node order into forward steps, fusing where legal: a node whose output has one reader (not
/// a spec output, same train_only) heads a fused step when its rule absorbs the reader's op (<c>OpRule.Absorbs</c>:
/// batch norm + relu, SA's gate mul + add); and a ResNet bottleneck's end, batchnorm → add → relu, is one step.
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

        // bn → add(bn, r) → relu: the fused step goes where the add was (r may be computed after the bn)
        var residualEnds = new Dictionary<string, (TypedNode Bn, TypedNode Relu, string Residual)>();
        foreach (TypedNode node in graph.Nodes)
        {
            // the first such bn claims the add (in a block with a conv_bn shortcut, the residual is the other bn's output)
            if (OpCatalog.Rule(node.Op) is BatchNormOp && IsResidualEnd(node, graph, SoleConsumer, out TypedNode add, out TypedNode end, out string residual)
                && !residualEnds.ContainsKey(add.Name))
            {
                residualEnds[add.Name] = (node, end, residual);
                absorbed.Add(node.Name);
                absorbed.Add(end.Name);
            }
        }

        foreach (TypedNode node in graph.Nodes)
        {
            int index = steps.Count;
            if (residualEnds.TryGetValue(node.Name, out var end))
            {
                steps.Add(new ForwardStep(index, StepKind.BatchNormAddRelu, Names(end.Bn, node, end.Relu),
                    new[] { end.Bn.Node.Inputs[0], end.Residual }.ToEquatableArray(), end.Relu.Node.Output, node.Node.TrainOnly));
                continue;
            }

            if (absorbed.Contains(node.Name))
                continue;
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

    private delegate bool Consumer(TypedNode node, out TypedNode next);

    /// <summary>bn → add(bn, r) or add(r, bn) → relu, each the sole consumer of the one before; r a tensor of the same shape, not bn's input.</summary>
    private static bool IsResidualEnd(TypedNode bn, TypedGraph graph, Consumer soleConsumer, out TypedNode add, out TypedNode relu, out string residual)
    {
        relu = null!;
        residual = "";
        if (!soleConsumer(bn, out add) || OpCatalog.Rule(add.Op) is not AddOp || !soleConsumer(add, out relu) || OpCatalog.Rule(relu.Op) is not ReluOp)
            return false;
        string output = bn.Node.Output;
        residual = add.Node.Inputs.First(i => i != output);
        EquatableArray<Dim> shape = bn.Output;
        return residual != bn.Node.Inputs[0] && graph.Tensor(residual).Shape.Equals(shape) && add.Output.Equals(shape);
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
