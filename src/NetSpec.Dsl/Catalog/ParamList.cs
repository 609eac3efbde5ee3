using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>The parameters a rule declares for one node, named <c>node.role</c> as in a PyTorch state_dict, in its group.</summary>
public sealed class ParamList(OpNode node, EquatableArray<Dim> input, ParamGroupDecl group)
{
    private readonly List<ParamInfo> list = new();

    public OpNode Node => node;

    /// <summary>The input's channels (dim 1) when constant, else 0.</summary>
    public int Channels => input.Count > 1 && input[1].IsConst ? (int)input[1].Offset : 0;

    public IReadOnlyList<ParamInfo> Items => list;

    public void Add(string role, int[] shape, ParamKind kind, ParamInit init, int fanIn = 0) =>
        list.Add(new ParamInfo($"{node.Name}.{role}", node.Name, role, shape.ToEquatableArray(), kind, init, fanIn,
            group.Name, group.LrMult, kind == ParamKind.Weight && group.WeightDecay));
}
