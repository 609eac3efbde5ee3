using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>conv2d's attributes: K, the window (R, S), stride, padding, dilation, groups, and whether it has a bias.</summary>
public sealed record Conv2dAttributes(int OutChannels, IntPair Kernel, IntPair Stride, IntPair Padding, IntPair Dilation, int Groups, bool Bias)
    : OpAttributes
{
    public ConvGeometry Geometry => new(Kernel.H, Kernel.W, Stride.H, Stride.W, Padding.H, Padding.W, Dilation.H, Dilation.W, Groups);
}

/// <summary>conv2d: (N, C, H, W) → (N, K, H', W'); weight (K, C/groups, R, S), optional bias (K).</summary>
public sealed class Conv2dOp() : OpRule<Conv2dAttributes>(new OpSpec("conv2d", 1, 1, new AttrSpec[]
{
    OutChannels, Kernel, Stride, Padding, Dilation, Groups, Bias,
}, new[] { "weight", "bias" }, new string[0], false, "2-D convolution, weight (K, C/groups, R, S); bias only when bias: true."))
{
    private static readonly IntAttr OutChannels = new("out_channels", null, 1, 65536);
    private static readonly PairAttr Kernel = new("kernel", null, 1, 15);
    private static readonly PairAttr Stride = new("stride", 1, 1, 16);
    private static readonly PairAttr Padding = new("padding", 0, 0, 64);
    private static readonly PairAttr Dilation = new("dilation", 1, 1, 64);
    private static readonly IntAttr Groups = new("groups", 1, 1, 65536);
    private static readonly BoolAttr Bias = new("bias", true);

    protected override Conv2dAttributes ReadAttributes(AttrReader a) =>
        new(a.Get(OutChannels), a.Get(Kernel), a.Get(Stride), a.Get(Padding), a.Get(Dilation), a.Get(Groups), a.Get(Bias));

    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4))
            return null;
        Conv2dAttributes a = Of(x.Node);
        ConvGeometry g = a.Geometry;
        int outChannels = a.OutChannels;
        if (!x.X[0][1].IsConst)
            return x.Invalid($"input channels {x.X[0][1]} are not a constant");
        long inChannels = x.X[0][1].Offset;
        if (g.Groups < 1 || inChannels % g.Groups != 0 || outChannels % g.Groups != 0)
            return x.Invalid($"groups {g.Groups} must divide input channels {inChannels} and out_channels {outChannels}", x.At(Groups));
        if (outChannels < 1)
            return x.Invalid($"out_channels must be positive, got {outChannels}", x.At(OutChannels));
        return x.Windowed(g, Dim.Const(outChannels), Kernel);
    }

    /// <summary>2 per multiply-accumulate, 1 per output for the bias.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements)
    {
        Conv2dAttributes a = Of(node);
        long macs = checked(outElements * (inputs[0][1] / a.Groups) * a.Kernel.H * a.Kernel.W);
        return checked(2 * macs + (a.Bias ? outElements : 0));
    }

    public override void Parameters(ParamList p)
    {
        Conv2dAttributes a = Of(p.Node);
        ConvGeometry g = a.Geometry;
        int k = a.OutChannels;
        int fanIn = p.Channels / g.Groups * g.KernelH * g.KernelW;
        p.Add("weight", new[] { k, p.Channels / g.Groups, g.KernelH, g.KernelW }, ParamKind.Weight, ParamInit.KaimingNormalFanOut, fanIn);
        if (a.Bias)
            p.Add("bias", new[] { k }, ParamKind.Weight, ParamInit.UniformFanIn, fanIn);
    }

    public override SavedTensors Saved => SavedTensors.OfInputs(0);

    public override string Describe(TypedNode node, IReadOnlyList<string> inputs)
    {
        ConvGeometry g = Of(node).Geometry;
        string dil = g.DilationH > 1 ? $" d{g.DilationH}" : "";
        string grp = g.Groups > 1 ? $" g{g.Groups}" : "";
        return $"conv {g.KernelH}x{g.KernelW} s{g.StrideH} p{g.PadH}{dil}{grp}, {node.Params[0].Shape[1] * g.Groups}->{node.Params[0].Shape[0]}";
    }

    /// <summary>Conv (kernel, stride, padding, dilation, groups) with weight and optional bias; a batch norm after it folds in.</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Written(WriteOnnx, "Conv").AbsorbingAffine("weight", "bias");

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
        ConvGeometry g = Of(node).Geometry;
        return $"new ConvGeometry({g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {g.PadH}, {g.PadW}, {g.DilationH}, {g.DilationW}, {g.Groups})";
    }

    // x (N,C,H,W) · W (K,C/g,R,S) [+ b (K)] → y (N,K,P,Q); pads are (top, left, bottom, right)
    private static void WriteOnnx(IOnnxSite s)
    {
        ConvGeometry g = Of(s.Node).Geometry;
        var inputs = new List<string> { s.Input(0), s.Param("weight") };
        if (s.HasParam("bias"))
            inputs.Add(s.Param("bias"));
        s.Write(
            "Conv",
            inputs,
            OnnxAttribute.IntList("kernel_shape", g.KernelH, g.KernelW),
            OnnxAttribute.IntList("strides", g.StrideH, g.StrideW),
            OnnxAttribute.IntList("pads", g.PadH, g.PadW, g.PadH, g.PadW),
            OnnxAttribute.IntList("dilations", g.DilationH, g.DilationW),
            OnnxAttribute.Int("group", g.Groups));
    }
}
