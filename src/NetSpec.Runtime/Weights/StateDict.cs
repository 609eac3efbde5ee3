namespace NetSpec.Runtime.Weights;

/// <summary>A network's parameters as safetensors entries (PyTorch state_dict names), and back, in memory.</summary>
public static class StateDict
{
    /// <summary>Every parameter downloaded: weights and buffers as F32, counters (num_batches_tracked) as I64.</summary>
    public static List<SafeTensorEntry> Save(INetwork network)
    {
        network.Device.Synchronize();
        return network.Parameters.Select(p =>
        {
            float[] values = DeviceData.Download<float>(p.Value.View);
            return p.Kind == ParameterKind.Counter
                ? SafeTensorEntry.FromLongs(p.Name, p.Shape, values.Select(v => (long)Math.Round(v)).ToArray())
                : SafeTensorEntry.FromFloats(p.Name, p.Shape, values);
        }).ToList();
    }

    /// <summary>
    /// Every parameter as <see cref="Save"/> gives it, but read from the device only when the file writes it: a save then
    /// holds one chunk of a tensor in memory (<see cref="SafeTensorSource.ChunkFloats"/>) instead of a copy of every tensor.
    /// </summary>
    public static List<SafeTensorSource> Sources(INetwork network)
    {
        network.Device.Synchronize();
        return network.Parameters.Select(p => p.Kind == ParameterKind.Counter
            ? new SafeTensorSource(p.Name, SafeDType.I64, p.Shape.Select(d => (long)d).ToArray(), p.Length * sizeof(long), s => WriteCounter(s, p))
            : SafeTensorSource.FromDevice(p.Name, p.Shape, p.Value.View)).ToList();
    }

    // a counter (num_batches_tracked: one value) as I64, as Save converts it
    private static void WriteCounter(Stream stream, Parameter p)
    {
        long[] values = DeviceData.Download<float>(p.Value.View).Select(v => (long)Math.Round(v)).ToArray();
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>
    /// Loads every entry whose name (after <paramref name="rename"/>) matches a parameter. Shape mismatches are one
    /// error listing them all, before anything is loaded; keys the file lacks (among <paramref name="wanted"/>) or has
    /// in excess are returned for the caller to judge.
    /// </summary>
    public static (List<string> Missing, List<string> Unexpected) Load(
        INetwork network, IEnumerable<SafeTensorEntry> entries, string path, Func<string, string>? rename = null, Func<Parameter, bool>? wanted = null)
    {
        var match = StateDictMatch<SafeTensorEntry>.Build(network, entries, e => e.Name, e => e.Shape, rename, wanted);
        if (match.Mismatched.Count > 0)
            throw new CheckpointException($"{path}: {string.Join("; ", match.Mismatched.Select(m => m.Describe(network.SpecName)))}");
        foreach (var (p, entry) in match.Matched)
            DeviceData.Upload(p.Value.View, entry.ToFloats());
        network.Device.Synchronize();
        return (match.Missing, match.Unexpected);
    }
}
