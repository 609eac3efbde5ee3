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

    /// <summary>Resize to the node's (h, w) (docs/using-netspec.md, "Export to ONNX", for the coordinate modes).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Written(WriteOnnx, "Resize", "Shape", "Concat");

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

    // Bilinear: align_corners → "align_corners" (src = dst·(in−1)/(out−1)), else "half_pixel" (src = (dst + ½)·in/out − ½,
    // clamped at the edges by linear interpolation as NetSpec and PyTorch clamp it at 0). Nearest: src = floor(dst·in/out),
    // which is "asymmetric" with nearest_mode "floor". The target size goes in Resize's sizes input (opset 17 has no axes).
    private static void WriteOnnx(IOnnxSite s)
    {
        long[] shape = s.OutputShape;
        ResizeAttributes resize = Of(s.Node);
        OnnxAttribute[] attributes = resize.Mode == ResizeMode.Nearest
            ? new[] { OnnxAttribute.String("mode", "nearest"), OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"), OnnxAttribute.String("nearest_mode", "floor") }
            : new[] { OnnxAttribute.String("mode", "linear"), OnnxAttribute.String("coordinate_transformation_mode", resize.AlignCorners ? "align_corners" : "half_pixel") };
        string x = s.Input(0);
        string sizes = s.DynamicBatch
            // sizes = concat(shape(x)[0:2], [h, w]): the batch comes from the input at run time
            ? s.Inner("Concat", "sizes", new[] { s.Inner("Shape", "shape_nc", new[] { x }, OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 2)), s.Int64s("hw", shape[2], shape[3]) }, OnnxAttribute.Int("axis", 0))
            : s.Int64s("sizes", shape);
        s.Write("Resize", new[] { x, "", "", sizes }, attributes);
    }
}
