using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Export;

/// <summary>
/// One node's <see cref="IOnnxSite"/>: ONNX names for its inputs (through the emitter's aliases), state_dict names for
/// its weights, and, when an affine after it is folded in (<see cref="AffineFolding"/>), the folded weight and bias
/// under <c>{node}.{role}+{affine node}</c>, its node writing the affine node's tensor.
/// </summary>
internal sealed class NodeSite(OpEmitter emitter, TypedNode node, TypedNode? foldedAffine) : IOnnxSite
{
    private readonly Dictionary<string, string> written = new(StringComparer.Ordinal);
    private (float[] Weight, float[] Bias)? folded;

    public TypedNode Node => node;

    public string Output => foldedAffine?.Node.Output ?? node.Node.Output;

    public IReadOnlyList<string> Inputs => node.Node.Inputs.Select(emitter.Name).ToList();

    public long[] OutputShape => Shape.Eval(node.Output, emitter.Sizes);

    public bool DynamicBatch => emitter.Options.DynamicBatch;

    public string Input(int slot) => emitter.Name(node.Node.Inputs[slot]);

    public bool HasParam(string role) => node.Params.Any(p => p.Role == role) || (foldedAffine is not null && role == Absorber.Bias);

    public string Param(string role)
    {
        if (written.TryGetValue(role, out string? name))
            return name;
        GraphWriter w = emitter.Writer;
        if (foldedAffine is not null && (role == Absorber.Weight || role == Absorber.Bias))
        {
            folded ??= emitter.Folding.Fold(node, foldedAffine, emitter.Weights);
            string foldedName = $"{node.Name}.{role}+{foldedAffine.Name}";
            name = role == Absorber.Weight
                ? w.Floats(foldedName, emitter.Weights[$"{node.Name}.{role}"].Shape, folded.Value.Weight)
                : w.Floats(foldedName, [folded.Value.Bias.Length], folded.Value.Bias);
        }
        else
        {
            WeightTensor tensor = emitter.Weights[$"{node.Name}.{role}"];
            name = w.Floats($"{node.Name}.{role}", tensor.Shape, tensor.Values);
        }

        written[role] = name;
        return name;
    }

    public string Int64s(string suffix, params long[] values) => emitter.Writer.Int64s($"{node.Name}/{suffix}", values);

    public void Write(string opType, IEnumerable<string> inputs, params OnnxAttribute[] attributes) =>
        emitter.Writer.Node(opType, node.Name, inputs, Output, attributes.Select(GraphWriter.Attribute).ToArray());

    public string Inner(string opType, string suffix, IEnumerable<string> inputs, params OnnxAttribute[] attributes)
    {
        string name = $"{node.Name}/{suffix}";
        emitter.Writer.Node(opType, name, inputs, name, attributes.Select(GraphWriter.Attribute).ToArray());
        return name;
    }

    public void Alias() => emitter.Alias(node.Node.Output, Input(0));

    private AffineAbsorber Absorber => OpCatalog.Rule(node.Op).Onnx.Absorbs!;
}
