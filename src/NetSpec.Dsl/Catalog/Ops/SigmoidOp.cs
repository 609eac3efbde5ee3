using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>sigmoid: 1 / (1 + exp(-x)), same shape; backward reads the saved output (y (1 − y)).</summary>
public sealed class SigmoidOp() : OpRule(new OpSpec("sigmoid", 1, 1, new AttrSpec[0], new string[0], new string[0], false, "1 / (1 + exp(-x))."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Rank(0, 4) ? x.X[0] : null;

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => outElements;

    public override SavedTensors Saved => SavedTensors.OfOutput;

    public override OnnxForm Onnx { get; } = OnnxForm.Node("Sigmoid");

    public override void EmitForward(IForwardSite s) => s.Line($"Activation.Sigmoid({s.Device}, {s.Input(0)}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Activation.SigmoidBackward({s.Device}, {s.Output}, {s.OutputGrad}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
}
