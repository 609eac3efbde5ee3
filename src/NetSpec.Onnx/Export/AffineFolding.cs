using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Export;

/// <summary>
/// Which per-channel affine nodes fold into the node before them: a node whose op is an affine in eval
/// (<see cref="OnnxForm.Affine"/>, batch norm) reading the output of a node whose op absorbs one
/// (<see cref="OnnxForm.Absorbs"/>, conv) that nothing else reads (no other node, no spec output). With the affine
/// y = (x − c)·s + t and the producer's x = W∗i + b, the two are one node with weights W·s (per output channel) and bias
/// (b − c)·s + t (b = 0 without a bias). Computed in double, each folded value rounded to float once.
/// </summary>
internal sealed class AffineFolding
{
    private readonly Dictionary<string, TypedNode> affineAfter = new(StringComparer.Ordinal);
    private readonly HashSet<string> folded = new(StringComparer.Ordinal);

    public AffineFolding(TypedGraph graph, IEnumerable<TypedNode> nodes, bool enabled)
    {
        if (!enabled)
            return;
        var consumers = graph.Consumers();
        var producers = graph.Nodes.ToDictionary(n => n.Node.Output, StringComparer.Ordinal);
        var outputs = graph.Spec.Outputs.Select(o => o.Tensor).ToHashSet(StringComparer.Ordinal);
        foreach (TypedNode affine in nodes.Where(n => OpCatalog.Rule(n.Op).Onnx.Affine is not null))
        {
            string input = affine.Node.Inputs[0];
            if (producers.TryGetValue(input, out TypedNode? producer) && OpCatalog.Rule(producer.Op).Onnx.Absorbs is not null
                && consumers[input].Count == 1 && !outputs.Contains(input))
            {
                affineAfter[producer.Name] = affine;
                folded.Add(affine.Name);
            }
        }
    }

    public int Count => folded.Count;

    public bool IsFolded(string affine) => folded.Contains(affine);

    public TypedNode? AffineAfter(string producer) => affineAfter.TryGetValue(producer, out TypedNode? affine) ? affine : null;

    /// <summary>The producer's folded weight (K, …) and bias (K).</summary>
    public (float[] Weight, float[] Bias) Fold(TypedNode producer, TypedNode affine, OnnxWeights weights)
    {
        AffineAbsorber roles = OpCatalog.Rule(producer.Op).Onnx.Absorbs!;
        ChannelAffine f = OpCatalog.Rule(affine.Op).Onnx.Affine!(affine, role => weights[$"{affine.Name}.{role}"].Values);
        float[] w = weights[$"{producer.Name}.{roles.Weight}"].Values;
        float[]? b = weights.Contains($"{producer.Name}.{roles.Bias}") ? weights[$"{producer.Name}.{roles.Bias}"].Values : null;
        int k = f.Scale.Length, perChannel = w.Length / k;
        var weight = new float[w.Length];
        var bias = new float[k];
        for (int o = 0; o < k; o++)
        {
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++)
                weight[i] = (float)(w[i] * f.Scale[o]);
            bias[o] = (float)((((b?[o] ?? 0.0) - f.Center[o]) * f.Scale[o]) + f.Shift[o]);
        }

        return (weight, bias);
    }
}
