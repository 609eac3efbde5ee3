using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>linear's attributes: the output features and whether it has a bias.</summary>
public sealed record LinearAttributes(int OutFeatures, bool Bias) : OpAttributes;

/// <summary>linear: (N, C, 1, 1) → (N, out, 1, 1); weight (out, C), optional bias (out).</summary>
public sealed class LinearOp() : OpRule<LinearAttributes>(new OpSpec("linear", 1, 1, new AttrSpec[]
{
    OutFeatures, Bias,
}, new[] { "weight", "bias" }, new string[0], false, "Fully connected on (N,C,1,1) -> (N,out,1,1); weight (out, C)."))
{
    private static readonly IntAttr OutFeatures = new("out_features", null, 1, 1 << 20);
    private static readonly BoolAttr Bias = new("bias", true);

    protected override LinearAttributes ReadAttributes(AttrReader a) => new(a.Get(OutFeatures), a.Get(Bias));

    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4))
            return null;
        EquatableArray<Dim> input = x.X[0];
        if (!input[2].Equals(Dim.Const(1)) || !input[3].Equals(Dim.Const(1)))
            return x.Mismatch($"input '{x.Node.Inputs[0]}' {Shapes.Shape.Format(input)} must be (N,C,1,1) (use global_avg_pool first)");
        return Shapes.Shape.Of(input[0], Dim.Const(Of(x.Node).OutFeatures), Dim.Const(1), Dim.Const(1));
    }

    /// <summary>2 per multiply-accumulate, 1 per output for the bias.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) =>
        checked(2 * outElements * inputs[0][1] + (Of(node).Bias ? outElements : 0));

    public override void Parameters(ParamList p)
    {
        LinearAttributes a = Of(p.Node);
        int outFeatures = a.OutFeatures;
        p.Add("weight", new[] { outFeatures, p.Channels }, ParamKind.Weight, ParamInit.UniformFanIn, p.Channels);
        if (a.Bias)
            p.Add("bias", new[] { outFeatures }, ParamKind.Weight, ParamInit.UniformFanIn, p.Channels);
    }

    public override SavedTensors Saved => SavedTensors.OfInputs(0);

    /// <summary>x (N,C,1,1) → Flatten (N,C) → Gemm with Wᵀ [+ b] → (N,out) → Unsqueeze axes 2, 3 → (N,out,1,1).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Written(WriteOnnx, "Flatten", "Gemm", "Unsqueeze");

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Linear.Forward({s.Device}, {s.Input(0)}, {s.Value("weight")}, {s.Value("bias")}, {s.Output});");

    public override void EmitBackward(IBackwardSite s)
    {
        if (s.HasInputGrad(0))
            s.Line($"Linear.BackwardInput({s.Device}, {s.OutputGrad}, {s.Value("weight")}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
        s.Line($"Linear.BackwardParams({s.Device}, {s.Input(0)}, {s.OutputGrad}, {s.Grad("weight")}, {s.Grad("bias")});");
    }

    public override void EmitInitialize(IInitSite s) =>
        s.Line($"Initializers.LinearDefault({s.Param("weight")}, {(s.HasParam("bias") ? s.Param("bias") : "null")}, seed);");

    private static void WriteOnnx(IOnnxSite s)
    {
        string flat = s.Inner("Flatten", "flat", new[] { s.Input(0) }, OnnxAttribute.Int("axis", 1));
        var inputs = new List<string> { flat, s.Param("weight") };
        if (s.HasParam("bias"))
            inputs.Add(s.Param("bias"));
        string gemm = s.Inner("Gemm", "gemm", inputs, OnnxAttribute.Int("transB", 1));
        s.Write("Unsqueeze", new[] { gemm, s.Int64s("axes", 2, 3) });
    }
}
