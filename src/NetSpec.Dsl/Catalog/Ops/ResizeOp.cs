using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

public enum ResizeMode
{
    Bilinear,
    Nearest,
}

/// <summary>resize's attributes: interpolation, corner alignment (bilinear), and the fixed size ((0, 0): a second input gives it).</summary>
public sealed record ResizeAttributes(ResizeMode Mode, bool AlignCorners, IntPair Size) : OpAttributes;

/// <summary>
/// resize: (N, C, H, W) → (N, C, h, w), h and w from <c>size</c> or from a second input's last two dims (a size
/// reference: no gradient flows into it).
/// </summary>
public sealed class ResizeOp() : OpRule<ResizeAttributes>(new OpSpec("resize", 1, 2, new AttrSpec[]
{
    Mode, AlignCorners, Size,
}, new string[0], new string[0], false, "Resize to a fixed size or to the spatial size of the second input."))
{
    private static readonly ChoiceAttr<ResizeMode> Mode = new("mode", ResizeMode.Bilinear, ("bilinear", ResizeMode.Bilinear), ("nearest", ResizeMode.Nearest));
    private static readonly BoolAttr AlignCorners = new("align_corners", false);
    private static readonly PairAttr Size = new("size", 0, 0, 1 << 16, "target (h, w); or give a second input whose H,W to match");

    protected override ResizeAttributes ReadAttributes(AttrReader a) => new(a.Get(Mode), a.Get(AlignCorners), a.Get(Size));

    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4))
            return null;
        EquatableArray<Dim> input = x.X[0];
        (int h, int w) = Of(x.Node).Size;
        if (x.X.Count == 2)
        {
            EquatableArray<Dim> like = x.X[1];
            if (like.Count < 2)
                return x.Invalid($"size reference '{x.Node.Inputs[1]}' {Shapes.Shape.Format(like)} has no spatial dims");
            return Shapes.Shape.Of(input[0], input[1], like[like.Count - 2], like[like.Count - 1]);
        }

        if (h < 1 || w < 1)
            return x.Invalid($"resize needs a positive size or a second input to match, got size ({h},{w})", x.At(Size));
        return Shapes.Shape.Of(input[0], input[1], Dim.Const(h), Dim.Const(w));
    }

    /// <summary>Bilinear: 8 per output (4 weighted taps); nearest: 0.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) =>
        Nearest(node) ? 0 : checked(8 * outElements);

    public override bool Differentiable(int slot) => slot == 0;

    public override SavedTensors Saved => SavedTensors.Nothing;

    public override void EmitForward(IForwardSite s) =>
        s.Line(Nearest(s.Node.Node)
            ? $"Resize.NearestForward({s.Device}, {s.Input(0)}, {s.Output});"
            : $"Resize.BilinearForward({s.Device}, {s.Input(0)}, {s.Output}, alignCorners: {Aligned(s)});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line(Nearest(s.Node.Node)
            ? $"Resize.NearestBackward({s.Device}, {s.OutputGrad}, {s.InputGrad(0)}, accumulate: {s.Accumulate(0)});"
            : $"Resize.BilinearBackward({s.Device}, {s.OutputGrad}, {s.InputGrad(0)}, alignCorners: {Aligned(s)}, accumulate: {s.Accumulate(0)});");

    private static bool Nearest(OpNode node) => Of(node).Mode == ResizeMode.Nearest;

    private static string Aligned(IStepSite s) => s.Bool(Of(s.Node).AlignCorners);
}
