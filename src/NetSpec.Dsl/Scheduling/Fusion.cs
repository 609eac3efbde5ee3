using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Scheduling;

/// <summary>Turns the typed graph's node order into forward steps, fusing BN+ReLU and SA's gate where legal.</summary>
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
