using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Tests.Support;

/// <summary>
/// How far two float32 evaluations of the same eval graph may drift apart (NetSpec's host code and ONNX Runtime: other
/// summation orders, im2col GEMM blocking or Winograd F(2×2,3×3) against ORT's kernels, batch norm folded into the
/// weights or applied as x·s + t).
/// <para>
/// Derivation. u = 2⁻²⁴ is float32's unit roundoff. A reduction of K products rounded in any order has an error whose
/// size, with rounding errors modelled as independent and zero-mean (Higham and Mary's probabilistic analysis), is
/// λ·√K·u relative to the magnitudes involved, except with a probability that falls like exp(−λ²/2). An elementwise op
/// rounds once or twice (leaky ReLU's slope·x: 1; a batch norm's scale and shift: 2; a bilinear lerp: 4; sigmoid's
/// exp and division, which ORT evaluates with a polynomial: 4; the rescaling of a folded weight: 1 more on its conv).
/// relu, max pooling, concat and dropout are exact. An error made in one layer reaches the output scaled like the
/// signal (the layers are linear between the (leaky) ReLUs and pooling, which do not amplify), so the relative errors of the layers on a path
/// add up; the costliest path from the image to an output gives S = Σ (√K or the elementwise count). Each of the
/// two evaluations is within λ·u·S·max|y| of the exact output y, so they differ by at most 2·λ·u·S·max|y|, with
/// λ = 8 (exp(−32): no false alarm over millions of outputs). The bound is loose by design: the observed drift is
/// printed beside it.
/// </para>
/// </summary>
public static class FloatBound
{
    public const double U = 1.0 / (1 << 24);

    public const double Lambda = 8;

    /// <summary>S for each tensor: the costliest path from the inputs to it.</summary>
    public static Dictionary<string, double> PathCost(TypedGraph graph, int height, int width)
    {
        var sizes = TypedGraph.Sizes(1, height, width);
        var cost = graph.Tensors.Where(t => t.Producer is null).ToDictionary(t => t.Name, _ => 0.0);
        foreach (TypedNode node in graph.Nodes)
        {
            double before = node.Node.Inputs.Select(i => cost.GetValueOrDefault(i)).DefaultIfEmpty(0).Max();
            long[] x = node.Node.Inputs.Count > 0 ? Shape.Eval(graph.Tensor(node.Node.Inputs[0]).Shape, sizes) : [];
            cost[node.Node.Output] = before + Own(node, x);
        }

        return cost;
    }

    public static double Bound(double pathCost, double maxAbs) => 2 * Lambda * U * pathCost * maxAbs;

    private static double Own(TypedNode node, long[] x)
    {
        switch (node.Op)
        {
            case "conv2d":
                ConvGeometry g = node.Node.AttributesAs<Conv2dAttributes>().Geometry;
                return Math.Sqrt(x[1] / g.Groups * g.KernelH * g.KernelW) + 2;
            case "linear":
                return Math.Sqrt(x[1]) + 1;
            case "global_avg_pool":
                return Math.Sqrt(x[2] * x[3]) + 1;
            case "avgpool":
                ConvGeometry p = node.Node.AttributesAs<PoolAttributes>().Geometry;
                return Math.Sqrt(p.KernelH * p.KernelW) + 1;
            case "batchnorm":
                return 2;
            case "resize":
                return node.Node.AttributesAs<ResizeAttributes>().Mode == ResizeMode.Nearest ? 0 : 4;
            case "sigmoid":
                return 4;
            case "add" or "mul" or "leaky_relu":
                return 1;
            default:
                return 0;
        }
    }
}
