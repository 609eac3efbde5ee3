using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>softmax_cross_entropy: logits (N, K, h, w) and labels (N, h, w) → a scalar; no gradient into the labels.</summary>
public sealed class SoftmaxCrossEntropyOp() : OpRule<LossAttributes>(new OpSpec("softmax_cross_entropy", 2, 2, new AttrSpec[]
{
    LossAttributes.IgnoreIndexAttr,
}, new string[0], new string[0], true, "Softmax CE of logits (N,K,h,w) against a label map (N,h,w) of the same size; mean over non-ignored pixels."))
{
    protected override LossAttributes ReadAttributes(AttrReader a) => LossAttributes.Read(a);

    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4) || !x.Rank(1, 3))
            return null;
        EquatableArray<Dim> logits = x.X[0], labels = x.X[1];
        if (!logits[0].Equals(labels[0]) || !logits[2].Equals(labels[1]) || !logits[3].Equals(labels[2]))
            return x.Mismatch($"logits '{x.Node.Inputs[0]}' {Shapes.Shape.Format(logits)} and labels '{x.Node.Inputs[1]}' {Shapes.Shape.Format(labels)} differ in size (resize the logits to the labels)");
        return Shapes.Shape.Scalar;
    }

    /// <summary>Losses are not counted.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => 0;

    public override bool Differentiable(int slot) => slot == 0;

    public override SavedTensors Saved => SavedTensors.OfInputs(0, 1);

    public override OnnxForm Onnx { get; } = OnnxForm.None("a loss, which has no inference form in ONNX");

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Losses.SoftmaxCrossEntropy({s.Device}, {s.Input(0)}, {s.Input(1)}, ignoreIndex: {Of(s.Node).IgnoreIndex}, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Losses.SoftmaxCrossEntropyBackward({s.Device}, {s.Input(0)}, {s.Input(1)}, ignoreIndex: {Of(s.Node).IgnoreIndex}, weight: {s.Float(s.LossWeight)}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
}
