using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>linear: (N, C, 1, 1) → (N, out, 1, 1); weight (out, C), optional bias (out).</summary>
public sealed class LinearOp() : OpRule(new OpSpec("linear", 1, 1, new[]
{
    new AttrSpec("out_features", AttrType.Int, null, 1, 1 << 20),
    new AttrSpec("bias", AttrType.Bool, "true"),
}, new[] { "weight", "bias" }, new string[0], false, "Fully connected on (N,C,1,1) -> (N,out,1,1); weight (out, C)."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4))
            return null;
        EquatableArray<Dim> input = x.X[0];
        if (!input[2].Equals(Dim.Const(1)) || !input[3].Equals(Dim.Const(1)))
            return x.Mismatch($"input '{x.Node.Inputs[0]}' {Shapes.Shape.Format(input)} must be (N,C,1,1) (use global_avg_pool first)");
        return Shapes.Shape.Of(input[0], Dim.Const(NodeAttrs.Int(x.Node, "out_features")), Dim.Const(1), Dim.Const(1));
    }

    /// <summary>2 per multiply-accumulate, 1 per output for the bias.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) =>
        checked(2 * outElements * inputs[0][1] + (NodeAttrs.Bool(node, "bias", true) ? outElements : 0));

    public override void Parameters(ParamList p)
    {
        int outFeatures = NodeAttrs.Int(p.Node, "out_features");
        p.Add("weight", new[] { outFeatures, p.Channels }, ParamKind.Weight, ParamInit.UniformFanIn, p.Channels);
        if (NodeAttrs.Bool(p.Node, "bias", true))
            p.Add("bias", new[] { outFeatures }, ParamKind.Weight, ParamInit.UniformFanIn, p.Channels);
    }

    public override SavedTensors Saved => SavedTensors.OfInputs(0);

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
}
