using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>add: a + b, b broadcast over a's size-1 dims; backward needs no saved tensor.</summary>
public sealed class AddOp() : OpRule(new OpSpec("add", 2, 2, new AttrSpec[0], new string[0], new string[0], false, "Elementwise sum with broadcasting of size-1 dims."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) => Broadcast.Shape(x);

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => outElements;

    public override SavedTensors Saved => SavedTensors.Nothing;

    /// <summary>Add (ONNX broadcasts size-1 dims as NetSpec does).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Node("Add");

    public override void EmitForward(IForwardSite s) => s.Line($"Elementwise.Add({s.Device}, {s.Input(0)}, {s.Input(1)}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Elementwise.AddBackward({s.Device}, {s.OutputGrad}, {s.InputGrad(0)}, {s.InputGrad(1)}, accumulateA: {s.Accumulate(0)}, accumulateB: {s.Accumulate(1)});");
}
