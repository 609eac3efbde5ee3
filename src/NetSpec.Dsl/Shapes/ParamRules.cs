using System.Collections.Generic;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>The parameters and buffers an op owns (<see cref="OpRule.Parameters"/>), with PyTorch shapes and state_dict names (<c>node.weight</c>).</summary>
public static class ParamRules
{
    public static IReadOnlyList<ParamInfo> For(OpNode node, EquatableArray<Dim> input, ParamGroupDecl group)
    {
        var list = new ParamList(node, input, group);
        OpCatalog.Rule(node.Op).Parameters(list);
        return list.Items;
    }
}
