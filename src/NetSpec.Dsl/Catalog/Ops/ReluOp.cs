using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>relu: max(x, 0), same shape; backward masks by the saved output.</summary>
public sealed class ReluOp() : OpRule(new OpSpec("relu", 1, 1, new AttrSpec[0], new string[0], new string[0], false, "max(x, 0)."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Rank(0, 4) ? x.X[0] : null;

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => outElements;

    public override SavedTensors Saved => SavedTensors.OfOutput;

    public override OnnxForm Onnx { get; } = OnnxForm.Node("Relu");

    public override void EmitForward(IForwardSite s) => s.Line($"Activation.Relu({s.Device}, {s.Input(0)}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Activation.ReluBackward({s.Device}, {s.Output}, {s.OutputGrad}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
}
