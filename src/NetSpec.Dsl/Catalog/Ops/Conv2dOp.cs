using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>conv2d: (N, C, H, W) → (N, K, H', W'); weight (K, C/groups, R, S), optional bias (K).</summary>
public sealed class Conv2dOp() : OpRule(new OpSpec("conv2d", 1, 1, new[]
{
    new AttrSpec("out_channels", AttrType.Int, null, 1, 65536),
    new AttrSpec("kernel", AttrType.IntPair, null, 1, 15),
    new AttrSpec("stride", AttrType.IntPair, "1", 1, 16),
    new AttrSpec("padding", AttrType.IntPair, "0", 0, 64),
    new AttrSpec("dilation", AttrType.IntPair, "1", 1, 64),
    new AttrSpec("groups", AttrType.Int, "1", 1, 65536),
    new AttrSpec("bias", AttrType.Bool, "true"),
}, new[] { "weight", "bias" }, new string[0], false, "2-D convolution, weight (K, C/groups, R, S); bias only when bias: true."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4))
            return null;
        OpNode node = x.Node;
        ConvGeometry g = NodeAttrs.Conv(node);
        int outChannels = NodeAttrs.Int(node, "out_channels");
        if (!x.X[0][1].IsConst)
            return x.Invalid($"input channels {x.X[0][1]} are not a constant");
        long inChannels = x.X[0][1].Offset;
        if (g.Groups < 1 || inChannels % g.Groups != 0 || outChannels % g.Groups != 0)
            return x.Invalid($"groups {g.Groups} must divide input channels {inChannels} and out_channels {outChannels}", NodeAttrs.Where(node, "groups"));
        if (outChannels < 1)
            return x.Invalid($"out_channels must be positive, got {outChannels}", NodeAttrs.Where(node, "out_channels"));
        return x.Windowed(g, Dim.Const(outChannels));
    }

    /// <summary>2 per multiply-accumulate, 1 per output for the bias.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements)
    {
        ConvGeometry g = NodeAttrs.Conv(node);
        long macs = checked(outElements * (inputs[0][1] / g.Groups) * g.KernelH * g.KernelW);
        return checked(2 * macs + (NodeAttrs.Bool(node, "bias", true) ? outElements : 0));
    }

    public override void Parameters(ParamList p)
    {
        ConvGeometry g = NodeAttrs.Conv(p.Node);
        int k = NodeAttrs.Int(p.Node, "out_channels");
        int fanIn = p.Channels / g.Groups * g.KernelH * g.KernelW;
        p.Add("weight", new[] { k, p.Channels / g.Groups, g.KernelH, g.KernelW }, ParamKind.Weight, ParamInit.KaimingNormalFanOut, fanIn);
        if (NodeAttrs.Bool(p.Node, "bias", true))
            p.Add("bias", new[] { k }, ParamKind.Weight, ParamInit.UniformFanIn, fanIn);
    }

    public override SavedTensors Saved => SavedTensors.OfInputs(0);

    public override string Describe(TypedNode node, IReadOnlyList<string> inputs)
    {
        ConvGeometry g = NodeAttrs.Conv(node.Node);
        string dil = g.DilationH > 1 ? $" d{g.DilationH}" : "";
        string grp = g.Groups > 1 ? $" g{g.Groups}" : "";
        return $"conv {g.KernelH}x{g.KernelW} s{g.StrideH} p{g.PadH}{dil}{grp}, {node.Params[0].Shape[1] * g.Groups}->{node.Params[0].Shape[0]}";
    }

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Conv2d.Forward({s.Device}, {s.Input(0)}, {s.Value("weight")}, {s.Value("bias")}, {s.Output}, {Geometry(s.Node)});");

    public override void EmitBackward(IBackwardSite s)
    {
        if (s.HasInputGrad(0))
            s.Line($"Conv2d.BackwardInput({s.Device}, {s.OutputGrad}, {s.Value("weight")}, {s.InputGrad(0)}, {Geometry(s.Node)}, accumulate: {s.Accumulate(0)});");
        s.Line($"Conv2d.BackwardParams({s.Device}, {s.Input(0)}, {s.OutputGrad}, {s.Grad("weight")}, {s.Grad("bias")}, {Geometry(s.Node)});");
    }

    public override void EmitInitialize(IInitSite s)
    {
        s.Line($"Initializers.KaimingNormalFanOut({s.Param("weight")}, seed);");
        if (s.HasParam("bias"))
            s.Line($"Initializers.ConvBiasDefault({s.Param("bias")}, {s.Param("weight")}, seed);");
    }

    /// <summary>The runtime's ConvGeometry for this node, as a C# expression.</summary>
    private static string Geometry(TypedNode node)
    {
        ConvGeometry g = NodeAttrs.Conv(node.Node);
        return $"new ConvGeometry({g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {g.PadH}, {g.PadW}, {g.DilationH}, {g.DilationW}, {g.Groups})";
    }
}
