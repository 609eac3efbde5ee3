using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>What max and average pooling share: the description and the runtime's PoolGeometry literal.</summary>
internal static class PoolText
{
    public static string Describe(TypedNode node)
    {
        ConvGeometry p = NodeAttrs.Pool(node.Node);
        return $"{node.Op} {p.KernelH}x{p.KernelW} s{p.StrideH} p{p.PadH}";
    }

    public static string Geometry(TypedNode node)
    {
        ConvGeometry g = NodeAttrs.Pool(node.Node);
        return $"new PoolGeometry({g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {g.PadH}, {g.PadW})";
    }

    /// <summary>One per window element per output.</summary>
    public static long Flops(Model.OpNode node, long outElements)
    {
        ConvGeometry p = NodeAttrs.Pool(node);
        return checked(outElements * p.KernelH * p.KernelW);
    }
}
