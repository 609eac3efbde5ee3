using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Scheduling;

/// <summary>Turns the typed graph's node order into forward steps, fusing BN+ReLU, BN+add+ReLU and SA's gate where legal.</summary>
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
            if (node.Op == "batchnorm" && IsResidualEnd(node, graph, SoleConsumer, out TypedNode add, out TypedNode end, out string residual)
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
            if (residualEnds.TryGetValue(node.Name, out var fused))
            {
                steps.Add(new ForwardStep(index, StepKind.BatchNormAddRelu, Names(fused.Bn, node, fused.Relu),
                    new[] { fused.Bn.Node.Inputs[0], fused.Residual }.ToEquatableArray(), fused.Relu.Node.Output, node.Node.TrainOnly));
                continue;
            }

            if (absorbed.Contains(node.Name))
                continue;
            if (node.Op == "batchnorm" && SoleConsumer(node, out TypedNode relu) && relu.Op == "relu")
            {
                absorbed.Add(relu.Name);
                steps.Add(new ForwardStep(index, StepKind.BatchNormRelu, Names(node, relu), node.Node.Inputs, relu.Node.Output, node.Node.TrainOnly));
                continue;
            }

            if (node.Op == "mul" && IsGate(node, graph, out TypedNode add, out string attn, out string res) && SoleConsumer(node, out TypedNode next) && next == add)
            {
                absorbed.Add(add.Name);
                steps.Add(new ForwardStep(index, StepKind.AttentionGate, Names(node, add), new[] { attn, res }.ToEquatableArray(), add.Node.Output, node.Node.TrainOnly));
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
        if (!soleConsumer(bn, out add) || add.Op != "add" || !soleConsumer(add, out relu) || relu.Op != "relu")
            return false;
        string output = bn.Node.Output;
        residual = add.Node.Inputs.First(i => i != output);
        EquatableArray<Dim> shape = bn.Output;
        return residual != bn.Node.Inputs[0] && graph.Tensor(residual).Shape.Equals(shape) && add.Output.Equals(shape);
    }

    private static EquatableArray<string> Names(params TypedNode[] nodes) => nodes.Select(n => n.Name).ToEquatableArray();

    /// <summary>mul(a, r) → m; add(m, a) or add(a, m) with every shape equal (no broadcasting).</summary>
    private static bool IsGate(TypedNode mul, TypedGraph graph, out TypedNode add, out string attn, out string res)
    {
        add = null!;
        attn = res = "";
        TypedNode? candidate = graph.Nodes.FirstOrDefault(n => n.Op == "add" && n.Node.Inputs.Contains(mul.Node.Output));
        if (candidate is null)
            return false;
        string other = candidate.Node.Inputs.First(i => i != mul.Node.Output);
        if (!mul.Node.Inputs.Contains(other) || mul.Node.Inputs[0] == mul.Node.Inputs[1])
            return false;
        EquatableArray<Dim> shape = mul.Output;
        if (!mul.Node.Inputs.All(i => graph.Tensor(i).Shape.Equals(shape)) || !candidate.Output.Equals(shape))
            return false;
        add = candidate;
        attn = other;
        res = mul.Node.Inputs.First(i => i != other);
        return true;
    }
}
