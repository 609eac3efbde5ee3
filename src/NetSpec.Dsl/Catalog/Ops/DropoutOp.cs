using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>dropout's attribute: the probability of zeroing an element in training.</summary>
public sealed record DropoutAttributes(double P) : OpAttributes;

/// <summary>dropout: inverted dropout in training (seeded per step and node), a copy in eval; keeps its mask for backward.</summary>
public sealed class DropoutOp() : OpRule<DropoutAttributes>(new OpSpec("dropout", 1, 1, new AttrSpec[]
{
    P,
}, new string[0], new string[0], false, "Inverted dropout in training (seeded), identity in eval."))
{
    private static readonly FloatAttr P = new("p", 0.5, 0, 0.999);

    protected override DropoutAttributes ReadAttributes(AttrReader a) => new(a.Get(P));

    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Rank(0, 4) ? x.X[0] : null;

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => outElements;

    public override SavedTensors Saved => SavedTensors.Nothing;

    public override IEnumerable<AuxBuffer> Auxiliary(TypedNode node)
    {
        yield return new AuxBuffer("mask", BufferKind.Mask, node.Output);
    }

    /// <summary>The identity in eval: no node.</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Identity;

    public override void EmitForward(IForwardSite s)
    {
        s.Line("if (training)");
        s.Line($"    Dropout.Forward({s.Device}, {s.Input(0)}, {s.Output}, {s.Aux("mask")}, p: {s.Float(Of(s.Node).P)}, seed: StepSeed ^ 0x{s.Salt:X16}UL);");
        s.Line("else");
        s.Line($"    Elementwise.Copy({s.Device}, {s.Input(0)}, {s.Output}, accumulate: false);");
    }

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Dropout.Backward({s.Device}, {s.OutputGrad}, {s.Aux("mask")}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});");
}
