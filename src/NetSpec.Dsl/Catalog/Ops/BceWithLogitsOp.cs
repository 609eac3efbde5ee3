using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>bce_with_logits: logits (N, K, 1, 1) against class presence in a label map (N, h, w) → a scalar; no gradient into the labels.</summary>
public sealed class BceWithLogitsOp() : OpRule<LossAttributes>(new OpSpec("bce_with_logits", 2, 2, new AttrSpec[]
{
    LossAttributes.IgnoreIndexAttr,
}, new string[0], new string[0], true, "BCE with logits (N,K,1,1) against class presence (N,K) derived from a label map; mean over N*K."))
{
    protected override LossAttributes ReadAttributes(AttrReader a) => LossAttributes.Read(a);

    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4) || !x.Rank(1, 3))
            return null;
        EquatableArray<Dim> logits = x.X[0], labels = x.X[1];
        if (!logits[2].Equals(Dim.Const(1)) || !logits[3].Equals(Dim.Const(1)) || !logits[0].Equals(labels[0]))
            return x.Mismatch($"logits '{x.Node.Inputs[0]}' {Shapes.Shape.Format(logits)} must be (N,K,1,1) for labels '{x.Node.Inputs[1]}' {Shapes.Shape.Format(labels)}");
        return Shapes.Shape.Scalar;
    }

    /// <summary>Losses are not counted.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => 0;

    public override bool Differentiable(int slot) => slot == 0;

    public override SavedTensors Saved => SavedTensors.OfInputs(0, 1);

    public override OnnxForm Onnx { get; } = OnnxForm.None("a loss, which has no inference form in ONNX");

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Losses.BceWithLogitsPresence({s.Device}, {s.Input(0)}, {s.Input(1)}, ignoreIndex: {Of(s.Node).IgnoreIndex}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Losses.BceWithLogitsPresenceBackward({s.Device}, {s.Input(0)}, {s.Input(1)}, ignoreIndex: {Of(s.Node).IgnoreIndex}, weight: {s.Float(s.LossWeight)}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
}
