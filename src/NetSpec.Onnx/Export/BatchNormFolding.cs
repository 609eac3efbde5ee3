using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Export;

/// <summary>
/// Which batch norms fold into the conv before them: a batch norm whose input is a conv's output that nothing else
/// reads (no other node, no spec output). Eval-mode batch norm is per-channel affine, y = s·x + (β − μ·s) with
/// s = γ / √(σ² + ε), so conv then batch norm is one conv with weights W·s and bias (b − μ)·s + β (b = 0 without a
/// bias). Computed in double, each folded value rounded to float once.
/// </summary>
internal sealed class BatchNormFolding
{
    private readonly Dictionary<string, TypedNode> bnAfterConv = new(StringComparer.Ordinal);
    private readonly HashSet<string> folded = new(StringComparer.Ordinal);

    public BatchNormFolding(TypedGraph graph, IEnumerable<TypedNode> nodes, bool enabled)
    {
        if (!enabled)
            return;
        var consumers = graph.Consumers();
        var producers = graph.Nodes.ToDictionary(n => n.Node.Output, StringComparer.Ordinal);
        var outputs = graph.Spec.Outputs.Select(o => o.Tensor).ToHashSet(StringComparer.Ordinal);
        foreach (TypedNode bn in nodes.Where(n => n.Node.Attributes is BatchNormAttributes))
        {
            string input = bn.Node.Inputs[0];
            if (producers.TryGetValue(input, out TypedNode? conv) && conv.Node.Attributes is Conv2dAttributes && consumers[input].Count == 1 && !outputs.Contains(input))
            {
                bnAfterConv[conv.Name] = bn;
                folded.Add(bn.Name);
            }
        }
    }

    public int Count => folded.Count;

    public bool IsFolded(string batchNorm) => folded.Contains(batchNorm);

    public TypedNode? BatchNormAfter(string conv) => bnAfterConv.TryGetValue(conv, out TypedNode? bn) ? bn : null;

    /// <summary>The folded conv weight (K, C/g, R, S) and bias (K).</summary>
    public (float[] Weight, float[] Bias) Fold(TypedNode conv, TypedNode bn, OnnxWeights weights)
    {
        float[] w = weights[$"{conv.Name}.weight"].Values;
        float[]? b = weights.Contains($"{conv.Name}.bias") ? weights[$"{conv.Name}.bias"].Values : null;
        float[] gamma = weights[$"{bn.Name}.weight"].Values, beta = weights[$"{bn.Name}.bias"].Values;
        float[] mean = weights[$"{bn.Name}.running_mean"].Values, variance = weights[$"{bn.Name}.running_var"].Values;
        double eps = bn.Node.AttributesAs<BatchNormAttributes>().Eps;
        int k = gamma.Length, perFilter = w.Length / k;
        var weight = new float[w.Length];
        var bias = new float[k];
        for (int o = 0; o < k; o++)
        {
            // ε as the runtime uses it: a float (the generated code passes eps as a float literal)
            double s = gamma[o] / Math.Sqrt(variance[o] + (double)(float)eps);
            for (int i = o * perFilter; i < (o + 1) * perFilter; i++)
                weight[i] = (float)(w[i] * s);
            bias[o] = (float)((((b?[o] ?? 0.0) - mean[o]) * s) + beta[o]);
        }

        return (weight, bias);
    }
}
