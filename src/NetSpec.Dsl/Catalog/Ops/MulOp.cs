using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>mul: a ⊙ b, b broadcast over a's size-1 dims; backward reads both factors.</summary>
public sealed class MulOp() : OpRule(new OpSpec("mul", 2, 2, new AttrSpec[0], new string[0], new string[0], false, "Elementwise product with broadcasting of size-1 dims."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) => Broadcast.Shape(x);

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => outElements;

    public override SavedTensors Saved => SavedTensors.OfInputs(0, 1);

    /// <summary>An add of the product and one of its factors: SA's gate (<see cref="StepKind.AttentionGate"/>), one kernel.</summary>
    public override StepKind? Absorbs(OpRule next) => next is AddOp ? StepKind.AttentionGate : null;

    /// <summary>Mul (ONNX broadcasts size-1 dims as NetSpec does).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Node("Mul");

    public override void EmitForward(IForwardSite s) => s.Line($"Elementwise.Mul({s.Device}, {s.Input(0)}, {s.Input(1)}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Elementwise.MulBackward({s.Device}, {s.Input(0)}, {s.Input(1)}, {s.OutputGrad}, {s.InputGrad(0)}, {s.InputGrad(1)}, accumulateA: {s.Accumulate(0)}, accumulateB: {s.Accumulate(1)});");
}
