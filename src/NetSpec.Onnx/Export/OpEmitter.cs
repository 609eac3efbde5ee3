using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Export;

/// <summary>
/// One spec node → its ONNX nodes, in eval mode, as its op's rule declares them (<see cref="OpRule.Onnx"/>, written
/// through a <see cref="NodeSite"/>); no op is named here. Tensors keep their spec names (the state_dict prefixes),
/// weights their state_dict names; an identity in eval (dropout) is no node (its output is its input), and an affine
/// folded into the node before it (batch norm into its conv) is no node either (that node writes the affine's tensor).
/// The ONNX form of each op: docs/using-netspec.md, "Export to ONNX".
/// </summary>
internal sealed class OpEmitter(TypedGraph graph, OnnxWeights weights, GraphWriter w, OnnxExportOptions options, AffineFolding folding)
{
    private readonly Dictionary<string, string> aliases = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Sizes { get; } = TypedGraph.Sizes(options.BatchSize, options.Height, options.Width);

    public OnnxExportOptions Options => options;

    public OnnxWeights Weights => weights;

    public GraphWriter Writer => w;

    public AffineFolding Folding => folding;

    /// <summary>The ONNX name of a spec tensor (an identity's output is its input's).</summary>
    public string Name(string tensor) => aliases.TryGetValue(tensor, out string? name) ? name : tensor;

    public void Alias(string tensor, string onnxName) => aliases[tensor] = onnxName;

    public void Emit(TypedNode node)
    {
        if (folding.IsFolded(node.Name))
            return;
        OnnxForm form = OpCatalog.Rule(node.Op).Onnx;
        if (!form.IsExportable)
            throw new OnnxExportException($"{graph.Spec.Path}: node '{node.Name}' (op {node.Op}) of spec {graph.Spec.Name} has no ONNX form: {form.NotExportable}");
        form.Write(new NodeSite(this, node, folding.AffineAfter(node.Name)));
    }
}
