using System.Security.Cryptography;
using System.Text;

namespace NetSpec.Runtime.Weights;

/// <summary>
/// Saves and loads any generated network's parameters as a safetensors file with PyTorch state_dict names
/// (weights and buffers F32, counters such as num_batches_tracked I64), plus typed <see cref="CheckpointMetadata"/>.
/// Loading reads F32, F16, BF16, F64 and I64 (converted to float) from a memory-mapped file, one tensor at a time.
/// </summary>
public static class NetworkWeights
{
    /// <summary>
    /// Writes <paramref name="network"/>'s parameters to <paramref name="path"/> atomically (a reader sees the old file
    /// or the new one). The metadata's spec name and layout hash are the network's. An existing file is replaced only
    /// with <paramref name="overwrite"/>; otherwise that is a <see cref="CheckpointException"/>, as is an I/O failure.
    /// </summary>
    public static void Save(INetwork network, string path, CheckpointMetadata? metadata = null, bool overwrite = false)
    {
        if (!overwrite && File.Exists(path))
            throw new CheckpointException($"{path}: exists already; pass overwrite: true to replace it");
        var meta = (metadata ?? new CheckpointMetadata()) with { SpecName = network.SpecName, LayoutHash = LayoutHash(network) };
        SafeTensorsFile.WriteStreamed(path, StateDict.Sources(network), meta.ToDictionary());
    }

    /// <summary>
    /// Loads <paramref name="path"/> into <paramref name="network"/>. Strict (the default): every parameter must be in the
    /// file with its shape and the file must hold nothing else; otherwise one <see cref="CheckpointException"/> lists the
    /// missing, unexpected and mis-shaped tensors by name, and nothing is loaded. Not strict: what fits is loaded, and the
    /// report says what did not. A malformed file (truncated, offsets out of range or overlapping, unknown dtype, NaN) is
    /// a one-line <see cref="CheckpointException"/> naming it either way.
    /// </summary>
    public static LoadReport Load(INetwork network, string path, bool strict = true)
    {
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        CheckpointMetadata metadata = CheckpointMetadata.FromDictionary(reader.Metadata, path);
        var match = StateDictMatch<TensorSlot>.Build(network, reader.Tensors, t => t.Name, t => t.Shape);
        var report = new LoadReport(match.Matched.Select(m => m.Parameter.Name).ToList(), match.Missing, match.Unexpected, match.Mismatched, metadata);
        if (strict && !report.IsExact)
        {
            string holds = metadata.SpecName is { } spec && spec != network.SpecName ? $" (it was saved from {spec})" : "";
            throw new CheckpointException($"{path}: does not match spec {network.SpecName}{holds}: {report.Describe()}");
        }

        var values = match.Matched.Select(m => (m.Parameter, Values: reader.ReadFloats(m.Tensor))).ToList(); // all checked before any upload
        foreach (var (p, v) in values)
            DeviceData.Upload(p.Value.View, v);
        network.Device.Synchronize();
        return report;
    }

    /// <summary>The metadata of <paramref name="path"/> (the header is read and checked; the data is not read).</summary>
    public static CheckpointMetadata ReadMetadata(string path) =>
        CheckpointMetadata.FromDictionary(SafeTensorsFile.ReadMetadata(path), path);

    /// <summary>
    /// SHA-256 (lower-case hex) of the parameter layout: each parameter's name, kind and shape in state_dict order.
    /// Equal hashes mean a checkpoint's tensors fit the network by name and shape.
    /// </summary>
    public static string LayoutHash(INetwork network)
    {
        var text = new StringBuilder();
        foreach (Parameter p in network.Parameters)
            text.Append(p.Name).Append(' ').Append(p.Kind).Append(" [").Append(string.Join(",", p.Shape)).Append("]\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
