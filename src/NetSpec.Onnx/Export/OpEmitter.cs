using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Shapes;
using NetSpec.Onnx.Format;
using static NetSpec.Onnx.Export.GraphWriter;

namespace NetSpec.Onnx.Export;

/// <summary>
/// One spec node → its ONNX nodes, in eval mode. Tensors keep their spec names (the state_dict prefixes), weights
/// their state_dict names; a dropout is no node (its output is its input), a batch norm folded into its conv is no
/// node either (the conv writes the batch norm's tensor). Ops: conv2d → Conv, batchnorm → BatchNormalization,
/// relu → Relu, sigmoid → Sigmoid, maxpool → MaxPool, avgpool → AveragePool (padding counted), global_avg_pool →
/// GlobalAveragePool, linear → Flatten + Gemm + Unsqueeze, resize → Resize, concat → Concat, add → Add, mul → Mul.
/// </summary>
internal sealed class OpEmitter(TypedGraph graph, OnnxWeights weights, GraphWriter w, OnnxExportOptions options, BatchNormFolding folding)
{
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, int> sizes = TypedGraph.Sizes(options.BatchSize, options.Height, options.Width);

    /// <summary>The ONNX name of a spec tensor (a dropout's output is its input's).</summary>
    public string Name(string tensor) => aliases.TryGetValue(tensor, out string? name) ? name : tensor;

    public void Emit(TypedNode node)
    {
        string x = node.Node.Inputs.Count > 0 ? Name(node.Node.Inputs[0]) : "";
        string y = node.Node.Output;
        switch (node.Op)
        {
            case "conv2d":
                Conv(node, x);
                break;
            case "batchnorm":
                if (!folding.IsFolded(node.Name))
                    BatchNorm(node, x, y);
                break;
            case "relu":
                w.Node("Relu", node.Name, [x], y);
                break;
            case "sigmoid":
                w.Node("Sigmoid", node.Name, [x], y);
                break;
            case "maxpool":
                w.Node("MaxPool", node.Name, [x], y, Window(node.Node.AttributesAs<PoolAttributes>().Geometry));
                break;
            case "avgpool":
                w.Node("AveragePool", node.Name, [x], y, [.. Window(node.Node.AttributesAs<PoolAttributes>().Geometry), Int("count_include_pad", 1)]);
                break;
            case "global_avg_pool":
                w.Node("GlobalAveragePool", node.Name, [x], y);
                break;
            case "linear":
                Linear(node, x, y);
                break;
            case "resize":
                Resize(node, x, y);
                break;
            case "concat":
                w.Node("Concat", node.Name, node.Node.Inputs.Select(Name), y, Int("axis", 1));
                break;
            case "add":
                w.Node("Add", node.Name, node.Node.Inputs.Select(Name), y);
                break;
            case "mul":
                w.Node("Mul", node.Name, node.Node.Inputs.Select(Name), y);
                break;
            case "dropout":
                aliases[y] = x; // identity in eval
                break;
            default:
                throw new OnnxExportException($"{graph.Spec.Path}: node '{node.Name}' (op {node.Op}) of spec {graph.Spec.Name} has no ONNX form in this exporter");
        }
    }

    private string Weight(TypedNode node, string role) => w.Floats($"{node.Name}.{role}", weights[$"{node.Name}.{role}"].Shape, weights[$"{node.Name}.{role}"].Values);

    private bool Has(TypedNode node, string role) => node.Params.Any(p => p.Role == role);

    // x (N,C,H,W) · W (K,C/g,R,S) [+ b (K)] → y (N,K,P,Q); with a folded batch norm, W·s and (b − μ)·s + β, writing the BN's tensor
    private void Conv(TypedNode node, string x)
    {
        ConvGeometry g = node.Node.AttributesAs<Conv2dAttributes>().Geometry;
        var attributes = new[]
        {
            Ints("kernel_shape", g.KernelH, g.KernelW), Ints("strides", g.StrideH, g.StrideW),
            Ints("pads", g.PadH, g.PadW, g.PadH, g.PadW), Ints("dilations", g.DilationH, g.DilationW), Int("group", g.Groups),
        };
        if (folding.BatchNormAfter(node.Name) is TypedNode bn)
        {
            var (wf, bf) = folding.Fold(node, bn, weights);
            WeightTensor kernel = weights[$"{node.Name}.weight"];
            string wName = w.Floats($"{node.Name}.weight+{bn.Name}", kernel.Shape, wf);
            string bName = w.Floats($"{node.Name}.bias+{bn.Name}", [bf.Length], bf);
            w.Node("Conv", node.Name, [x, wName, bName], bn.Node.Output, attributes);
            return;
        }

        var inputs = new List<string> { x, Weight(node, "weight") };
        if (Has(node, "bias"))
            inputs.Add(Weight(node, "bias"));
        w.Node("Conv", node.Name, inputs, node.Node.Output, attributes);
    }

    // y = (x − running_mean) / sqrt(running_var + eps) · weight + bias, per channel
    private void BatchNorm(TypedNode node, string x, string y)
    {
        float eps = (float)node.Node.AttributesAs<BatchNormAttributes>().Eps;
        string[] inputs = [x, Weight(node, "weight"), Weight(node, "bias"), Weight(node, "running_mean"), Weight(node, "running_var")];
        w.Node("BatchNormalization", node.Name, inputs, y, Float("epsilon", eps));
    }

    private static AttributeProto[] Window(ConvGeometry g) =>
        [Ints("kernel_shape", g.KernelH, g.KernelW), Ints("strides", g.StrideH, g.StrideW), Ints("pads", g.PadH, g.PadW, g.PadH, g.PadW)];

    // x (N,C,1,1) → Flatten (N,C) → Gemm with Wᵀ (C,out) [+ b] → (N,out) → Unsqueeze → (N,out,1,1)
    private void Linear(TypedNode node, string x, string y)
    {
        string flat = $"{node.Name}/flat", gemm = $"{node.Name}/gemm";
        w.Node("Flatten", flat, [x], flat, Int("axis", 1));
        var inputs = new List<string> { flat, Weight(node, "weight") };
        if (Has(node, "bias"))
            inputs.Add(Weight(node, "bias"));
        w.Node("Gemm", gemm, inputs, gemm, Int("transB", 1));
        w.Node("Unsqueeze", node.Name, [gemm, w.Int64s($"{node.Name}/axes", 2, 3)], y);
    }

    // Resize to the node's (H, W). Bilinear: align_corners → "align_corners" (src = dst·(in−1)/(out−1)), else
    // "half_pixel" (src = (dst + ½)·in/out − ½, clamped at the edges by linear interpolation as NetSpec and PyTorch clamp
    // it at 0). Nearest: src = floor(dst·in/out), which is "asymmetric" with nearest_mode "floor".
    private void Resize(TypedNode node, string x, string y)
    {
        long[] shape = Shape.Eval(node.Output, sizes);
        ResizeAttributes resize = node.Node.AttributesAs<ResizeAttributes>();
        AttributeProto[] attributes = resize.Mode == ResizeMode.Nearest
            ? [String("mode", "nearest"), String("coordinate_transformation_mode", "asymmetric"), String("nearest_mode", "floor")]
            : [String("mode", "linear"), String("coordinate_transformation_mode", resize.AlignCorners ? "align_corners" : "half_pixel")];
        string sizesName;
        if (options.DynamicBatch)
        {
            // sizes = concat(shape(x)[0:2], [H, W]): the batch comes from the input at run time
            string nc = $"{node.Name}/shape_nc";
            w.Node("Shape", nc, [x], nc, Int("start", 0), Int("end", 2));
            sizesName = $"{node.Name}/sizes";
            w.Node("Concat", sizesName, [nc, w.Int64s($"{node.Name}/hw", shape[2], shape[3])], sizesName, Int("axis", 0));
        }
        else
        {
            sizesName = w.Int64s($"{node.Name}/sizes", shape);
        }

        w.Node("Resize", node.Name, [x, "", "", sizesName], y, attributes);
    }
}
