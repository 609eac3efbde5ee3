using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>leaky_relu's attribute: the slope for negative inputs.</summary>
public sealed record LeakyReluAttributes(double Slope) : OpAttributes;

/// <summary>
/// leaky_relu: x for x &gt; 0, slope·x otherwise, same shape. With slope in [0, 1) the output has the input's sign (or
/// is 0), so backward reads the saved output as ReLU's does: dx = dy·(y &gt; 0 ? 1 : slope).
/// </summary>
public sealed class LeakyReluOp() : OpRule<LeakyReluAttributes>(new OpSpec("leaky_relu", 1, 1, new AttrSpec[]
{
    Slope,
}, new string[0], new string[0], false, "x for x > 0, slope * x otherwise (PyTorch's negative_slope, default 0.01)."))
{
    private static readonly FloatAttr Slope = new("slope", 0.01, 0, 0.999);

    protected override LeakyReluAttributes ReadAttributes(AttrReader a) => new(a.Get(Slope));

    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Rank(0, 4) ? x.X[0] : null;

    /// <summary>1 per element (the compare-and-scale).</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => outElements;

    public override SavedTensors Saved => SavedTensors.OfOutput;

    /// <summary>LeakyRelu with alpha = slope, as a float (the runtime's slope is the float literal generated code passes).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Node("LeakyRelu", n => new[] { OnnxAttribute.Float("alpha", (float)Of(n).Slope) });

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Activation.LeakyRelu({s.Device}, {s.Input(0)}, {s.Output}, slope: {s.Float(Of(s.Node).Slope)});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Activation.LeakyReluBackward({s.Device}, {s.Output}, {s.OutputGrad}, {s.InputGrad(0)}, slope: {s.Float(Of(s.Node).Slope)}, accumulate: {s.Accumulate(0)});");
}
