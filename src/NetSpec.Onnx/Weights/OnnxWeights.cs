using NetSpec.Runtime;

namespace NetSpec.Onnx;

/// <summary>
/// The weights an export reads, by PyTorch state_dict name: a checkpoint's tensors (<see cref="FromTensors"/>) or a
/// generated network's parameters (<see cref="FromNetwork"/>). <see cref="Source"/> names where they came from (a
/// file path, say) in every error about them.
/// </summary>
public sealed class OnnxWeights
{
    private readonly Dictionary<string, WeightTensor> tensors;

    private OnnxWeights(string source, Dictionary<string, WeightTensor> tensors)
    {
        Source = source;
        this.tensors = tensors;
    }

    public string Source { get; }

    public IReadOnlyCollection<string> Names => tensors.Keys;

    public WeightTensor this[string name] => tensors[name];

    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>Tensors read from <paramref name="source"/>; a name given twice or values that do not fill the shape are errors.</summary>
    public static OnnxWeights FromTensors(string source, IEnumerable<WeightTensor> tensors)
    {
        var byName = new Dictionary<string, WeightTensor>(StringComparer.Ordinal);
        foreach (WeightTensor t in tensors)
        {
            long length = 1;
            foreach (long d in t.Shape)
                length = d < 0 ? -1 : checked(length * d);
            if (length != t.Values.Length)
                throw new OnnxExportException($"{source}: tensor '{t.Name}' has shape [{string.Join(",", t.Shape)}] but {t.Values.Length} values");
            if (!byName.TryAdd(t.Name, t))
                throw new OnnxExportException($"{source}: tensor '{t.Name}' appears twice");
        }

        return new OnnxWeights(source, byName);
    }

    /// <summary>The parameters, buffers and counters of a generated network, copied to the host.</summary>
    public static OnnxWeights FromNetwork(INetwork network)
    {
        network.Device.Synchronize();
        return FromTensors($"network {network.SpecName}", network.Parameters.Select(p =>
            new WeightTensor(p.Name, p.Shape.Select(d => (long)d).ToArray(), DeviceData.Download<float>(p.Value.View))));
    }
}
