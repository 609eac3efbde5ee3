using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx;

/// <summary>
/// Weights against a spec, strictly: every weight and batch-norm statistic the spec declares is present with its
/// shape and finite values, and nothing else is there (a checkpoint of another spec has other names or shapes).
/// Counters (<c>num_batches_tracked</c>) may be absent: eval never reads them. Problems are listed by name, the
/// first few of each kind, in one line.
/// </summary>
internal static class WeightCheck
{
    private const int Listed = 3;

    public static void Run(TypedGraph graph, OnnxWeights weights)
    {
        ExpandedSpec spec = graph.Spec;
        var declared = graph.Params.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var missing = graph.Params.Where(p => p.Kind != ParamKind.Counter && !weights.Contains(p.Name)).Select(p => p.Name).ToList();
        var unexpected = weights.Names.Where(n => !declared.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        var misShaped = new List<string>();
        foreach (ParamInfo p in graph.Params.Where(p => weights.Contains(p.Name)))
        {
            WeightTensor t = weights[p.Name];
            if (!t.Shape.SequenceEqual(p.Shape.Select(d => (long)d)))
                misShaped.Add($"{p.Name} [{string.Join(",", t.Shape)}], spec [{string.Join(",", p.Shape)}]");
        }

        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0)
                parts.Add($"missing {missing.Count} ({List(missing)})");
            if (unexpected.Count > 0)
                parts.Add($"unexpected {unexpected.Count} ({List(unexpected)})");
            if (misShaped.Count > 0)
                parts.Add($"mis-shaped {misShaped.Count} ({List(misShaped)})");
            throw new OnnxExportException($"{weights.Source}: does not match spec {spec.Name} ({spec.Path}): {string.Join("; ", parts)}");
        }

        foreach (ParamInfo p in graph.Params.Where(p => p.Kind != ParamKind.Counter))
        {
            float[] values = weights[p.Name].Values;
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new OnnxExportException($"{weights.Source}: tensor '{p.Name}' holds {values[bad]} at index {bad}; an exported model needs finite weights");
            if (p.Role == "running_var" && Array.FindIndex(values, v => v < 0) is int negative and >= 0)
                throw new OnnxExportException($"{weights.Source}: tensor '{p.Name}' holds a negative variance ({values[negative]}) at index {negative}");
        }
    }

    private static string List(List<string> names) =>
        string.Join(", ", names.Take(Listed)) + (names.Count > Listed ? ", …" : "");
}
