using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>global_avg_pool: (N, C, H, W) → (N, C, 1, 1), the mean over H, W.</summary>
public sealed class GlobalAvgPoolOp() : OpRule(new OpSpec("global_avg_pool", 1, 1, new AttrSpec[0], new string[0], new string[0], false, "Mean over H,W: (N,C,H,W) -> (N,C,1,1)."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) =>
        x.Rank(0, 4) ? Shapes.Shape.Of(x.X[0][0], x.X[0][1], Dim.Const(1), Dim.Const(1)) : null;

    /// <summary>One per input element.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) =>
        checked(inputs[0][0] * inputs[0][1] * inputs[0][2] * inputs[0][3]);

    public override SavedTensors Saved => SavedTensors.Nothing;

    public override OnnxForm Onnx { get; } = OnnxForm.Node("GlobalAveragePool");

    public override void EmitForward(IForwardSite s) => s.Line($"Pooling.GlobalAvgForward({s.Device}, {s.Input(0)}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Pooling.GlobalAvgBackward({s.Device}, {s.OutputGrad}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
}
