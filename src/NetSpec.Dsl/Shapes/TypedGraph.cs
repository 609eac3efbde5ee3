using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

public enum TensorRole
{
    Image,
    Label,
    Activation,

    /// <summary>A loss op's scalar.</summary>
    Loss,
}

/// <summary>A named tensor with its inferred shape and the node producing it (null for graph inputs).</summary>
public sealed record TensorInfo(string Name, EquatableArray<Dim> Shape, string? Producer, TensorRole Role);

/// <summary>An op with its inferred output shape and its parameters.</summary>
public sealed record TypedNode(OpNode Node, EquatableArray<Dim> Output, EquatableArray<ParamInfo> Params)
{
    public string Name => Node.Name;

    public string Op => Node.Op;

    public long ParamCount => Params.Where(p => p.Kind == ParamKind.Weight).Sum(p => p.Length);
}

/// <summary>
/// The spec after shape inference: nodes in a topological order (spec order where free), every tensor
/// typed, every parameter named and shaped. Equatable, so it can travel between generator stages.
/// </summary>
public sealed record TypedGraph(
    ExpandedSpec Spec,
    EquatableArray<TypedNode> Nodes,
    EquatableArray<TensorInfo> Tensors,
    EquatableArray<ParamInfo> Params)
{
    public TensorInfo Tensor(string name) => Tensors.First(t => t.Name == name);

    public TypedNode Node(string name) => Nodes.First(n => n.Name == name);

    /// <summary>Trainable parameter count (weights and biases; BN running stats excluded).</summary>
    public long ParamCount => Params.Where(p => p.Kind == ParamKind.Weight).Sum(p => p.Length);

    /// <summary>N, H, W at the spec's defaults (N=1, H=W=480 unless the spec says otherwise).</summary>
    public IReadOnlyDictionary<string, int> DefaultSizes => Sizes(
        Spec.DefaultSizes.FirstOrDefault(s => s.Symbol == "N")?.Value ?? 1,
        Spec.DefaultSizes.FirstOrDefault(s => s.Symbol == "H")?.Value ?? 480,
        Spec.DefaultSizes.FirstOrDefault(s => s.Symbol == "W")?.Value ?? 480);

    public static IReadOnlyDictionary<string, int> Sizes(int n, int h, int w) =>
        new Dictionary<string, int> { ["N"] = n, ["H"] = h, ["W"] = w };

    /// <summary>Consumers of each tensor, in topological order.</summary>
    public IReadOnlyDictionary<string, List<TypedNode>> Consumers()
    {
        var map = Tensors.ToDictionary(t => t.Name, _ => new List<TypedNode>());
        foreach (TypedNode node in Nodes)
            foreach (string input in node.Node.Inputs.Distinct())
                map[input].Add(node);
        return map;
    }
}
