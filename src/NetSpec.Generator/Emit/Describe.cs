using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>Short human descriptions of steps for comments, and geometry literals for runtime calls.</summary>
internal static class Describe
{
    public static string Step(EmitContext c, ForwardStep step)
    {
        TypedNode node = c.Node(step.Head);
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
                return "batchnorm + relu (fused)";
            case StepKind.AttentionGate:
                return $"{step.Inputs[0]} * {step.Inputs[1]} + {step.Inputs[0]} (fused SA gate)";
        }

        switch (node.Op)
        {
            case "conv2d":
                NetSpec.Dsl.Shapes.ConvGeometry g = NodeAttrs.Conv(node.Node);
                string dil = g.DilationH > 1 ? $" d{g.DilationH}" : "";
                string grp = g.Groups > 1 ? $" g{g.Groups}" : "";
                return $"conv {g.KernelH}x{g.KernelW} s{g.StrideH} p{g.PadH}{dil}{grp}, {node.Params[0].Shape[1] * g.Groups}->{node.Params[0].Shape[0]}";
            case "maxpool" or "avgpool":
                NetSpec.Dsl.Shapes.ConvGeometry p = NodeAttrs.Pool(node.Node);
                return $"{node.Op} {p.KernelH}x{p.KernelW} s{p.StrideH} p{p.PadH}";
            default:
                return $"{node.Op}({string.Join(", ", step.Inputs)})";
        }
    }

    public static string ConvGeometry(TypedNode node)
    {
        NetSpec.Dsl.Shapes.ConvGeometry g = NodeAttrs.Conv(node.Node);
        return $"new ConvGeometry({g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {g.PadH}, {g.PadW}, {g.DilationH}, {g.DilationW}, {g.Groups})";
    }

    public static string PoolGeometry(TypedNode node)
    {
        NetSpec.Dsl.Shapes.ConvGeometry g = NodeAttrs.Pool(node.Node);
        return $"new PoolGeometry({g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {g.PadH}, {g.PadW})";
    }
}
