using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;
using static NetSpec.Dsl.Shapes.MiddleDiagnostics;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// One shape rule per op: the output shape from the input shapes and attributes, or diagnostics
/// (NS0012 mismatch naming both shapes, NS0014 invalid configuration) at the node or attribute.
/// </summary>
public static class ShapeRules
{
    public static EquatableArray<Dim>? Infer(OpNode node, IReadOnlyList<EquatableArray<Dim>> x, List<SpecDiagnostic> diagnostics)
    {
        var rule = new RuleContext(node, x, diagnostics);
        return node.Op switch
        {
            "conv2d" => rule.Conv(),
            "batchnorm" or "relu" or "sigmoid" or "dropout" => rule.Rank(0, 4) ? x[0] : null,
            "maxpool" or "avgpool" => rule.Pool(),
            "global_avg_pool" => rule.Rank(0, 4) ? Shape.Of(x[0][0], x[0][1], Dim.Const(1), Dim.Const(1)) : null,
            "linear" => rule.Linear(),
            "resize" => rule.Resize(),
            "concat" => rule.Concat(),
            "add" or "mul" => rule.Broadcast(),
            "softmax_cross_entropy" => rule.SoftmaxCrossEntropy(),
            "bce_with_logits" => rule.BceWithLogits(),
            _ => rule.Invalid($"op '{node.Op}' has no shape rule"),
        };
    }

    private sealed class RuleContext(OpNode node, IReadOnlyList<EquatableArray<Dim>> x, List<SpecDiagnostic> diagnostics)
    {
        public EquatableArray<Dim>? Invalid(string message, SourceLocation? at = null)
        {
            diagnostics.Add(Error(InvalidConfiguration, $"Invalid configuration of '{node.Name}': {node.Op} {message}", at ?? node.Location));
            return null;
        }

        public EquatableArray<Dim>? Mismatch(string message)
        {
            diagnostics.Add(Error(ShapeMismatch, $"Shape mismatch at '{node.Name}': {node.Op} {message}", node.Location));
            return null;
        }

        public bool Rank(int input, int rank)
        {
            if (x[input].Count == rank)
                return true;
            Invalid($"input '{node.Inputs[input]}' {Shape.Format(x[input])} has rank {x[input].Count}, expected {rank}");
            return false;
        }

        public EquatableArray<Dim>? Conv()
        {
            if (!Rank(0, 4))
                return null;
            ConvGeometry g = NodeAttrs.Conv(node);
            int outChannels = NodeAttrs.Int(node, "out_channels");
            if (!x[0][1].IsConst)
                return Invalid($"input channels {x[0][1]} are not a constant");
            long inChannels = x[0][1].Offset;
            if (g.Groups < 1 || inChannels % g.Groups != 0 || outChannels % g.Groups != 0)
                return Invalid($"groups {g.Groups} must divide input channels {inChannels} and out_channels {outChannels}", NodeAttrs.Where(node, "groups"));
            if (outChannels < 1)
                return Invalid($"out_channels must be positive, got {outChannels}", NodeAttrs.Where(node, "out_channels"));
            return Windowed(g, Dim.Const(outChannels));
        }

        public EquatableArray<Dim>? Pool()
        {
            if (!Rank(0, 4))
                return null;
            ConvGeometry g = NodeAttrs.Pool(node);
            if (2 * g.PadH > g.KernelH || 2 * g.PadW > g.KernelW)
                return Invalid($"padding ({g.PadH},{g.PadW}) must be at most half the kernel ({g.KernelH},{g.KernelW})", NodeAttrs.Where(node, "padding"));
            return Windowed(g, x[0][1]);
        }

        private EquatableArray<Dim>? Windowed(ConvGeometry g, Dim channels)
        {
            if (g.KernelH < 1 || g.KernelW < 1 || g.StrideH < 1 || g.StrideW < 1 || g.DilationH < 1 || g.DilationW < 1 || g.PadH < 0 || g.PadW < 0)
                return Invalid("kernel, stride and dilation must be positive and padding non-negative");
            Dim h = x[0][2].Window(g.KernelH, g.StrideH, g.PadH, g.DilationH);
            Dim w = x[0][3].Window(g.KernelW, g.StrideW, g.PadW, g.DilationW);
            if ((h.IsConst && h.Offset < 1) || (w.IsConst && w.Offset < 1))
                return Invalid($"output size ({h},{w}) is not positive for input {Shape.Format(x[0])}", NodeAttrs.Where(node, "kernel"));
            return Shape.Of(x[0][0], channels, h, w);
        }

        public EquatableArray<Dim>? Linear()
        {
            if (!Rank(0, 4))
                return null;
            if (!x[0][2].Equals(Dim.Const(1)) || !x[0][3].Equals(Dim.Const(1)))
                return Mismatch($"input '{node.Inputs[0]}' {Shape.Format(x[0])} must be (N,C,1,1) (use global_avg_pool first)");
            return Shape.Of(x[0][0], Dim.Const(NodeAttrs.Int(node, "out_features")), Dim.Const(1), Dim.Const(1));
        }

        public EquatableArray<Dim>? Resize()
        {
            if (!Rank(0, 4))
                return null;
            (int h, int w) = NodeAttrs.Pair(node, "size", (0, 0));
            if (x.Count == 2)
            {
                EquatableArray<Dim> like = x[1];
                if (like.Count < 2)
                    return Invalid($"size reference '{node.Inputs[1]}' {Shape.Format(like)} has no spatial dims");
                return Shape.Of(x[0][0], x[0][1], like[like.Count - 2], like[like.Count - 1]);
            }

            if (h < 1 || w < 1)
                return Invalid($"resize needs a positive size or a second input to match, got size ({h},{w})", NodeAttrs.Where(node, "size"));
            return Shape.Of(x[0][0], x[0][1], Dim.Const(h), Dim.Const(w));
        }

        public EquatableArray<Dim>? Concat()
        {
            long channels = 0;
            for (int i = 0; i < x.Count; i++)
            {
                if (!Rank(i, 4))
                    return null;
                if (!x[i][0].Equals(x[0][0]) || !x[i][2].Equals(x[0][2]) || !x[i][3].Equals(x[0][3]))
                    return Mismatch($"'{node.Inputs[0]}' {Shape.Format(x[0])} and '{node.Inputs[i]}' {Shape.Format(x[i])} differ outside the channel dim");
                if (!x[i][1].IsConst)
                    return Invalid($"channels of '{node.Inputs[i]}' are not a constant");
                channels = checked(channels + x[i][1].Offset);
            }

            return Shape.Of(x[0][0], Dim.Const(channels), x[0][2], x[0][3]);
        }

        public EquatableArray<Dim>? Broadcast()
        {
            EquatableArray<Dim> a = x[0], b = x[1];
            bool fits = a.Count == b.Count && a.Zip(b, (da, db) => da.Equals(db) || db.Equals(Dim.Const(1))).All(ok => ok);
            if (fits)
                return a;
            if (b.Count == a.Count && b.Zip(a, (db, da) => db.Equals(da) || da.Equals(Dim.Const(1))).All(ok => ok))
                return Mismatch($"'{node.Inputs[0]}' {Shape.Format(a)} broadcasts into '{node.Inputs[1]}' {Shape.Format(b)}: put the full-size tensor first");
            return Mismatch($"'{node.Inputs[0]}' {Shape.Format(a)} and '{node.Inputs[1]}' {Shape.Format(b)} have different shapes");
        }

        public EquatableArray<Dim>? SoftmaxCrossEntropy()
        {
            if (!Rank(0, 4) || !Rank(1, 3))
                return null;
            EquatableArray<Dim> logits = x[0], labels = x[1];
            if (!logits[0].Equals(labels[0]) || !logits[2].Equals(labels[1]) || !logits[3].Equals(labels[2]))
                return Mismatch($"logits '{node.Inputs[0]}' {Shape.Format(logits)} and labels '{node.Inputs[1]}' {Shape.Format(labels)} differ in size (resize the logits to the labels)");
            return Shape.Scalar;
        }

        public EquatableArray<Dim>? BceWithLogits()
        {
            if (!Rank(0, 4) || !Rank(1, 3))
                return null;
            if (!x[0][2].Equals(Dim.Const(1)) || !x[0][3].Equals(Dim.Const(1)) || !x[0][0].Equals(x[1][0]))
                return Mismatch($"logits '{node.Inputs[0]}' {Shape.Format(x[0])} must be (N,K,1,1) for labels '{node.Inputs[1]}' {Shape.Format(x[1])}");
            return Shape.Scalar;
        }
    }
}
