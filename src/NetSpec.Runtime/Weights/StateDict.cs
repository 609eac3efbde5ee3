using NetSpec.Runtime;

namespace NetSpec.Runtime.Weights;

/// <summary>A network's parameters as safetensors entries (PyTorch state_dict names), and back.</summary>
public static class StateDict
{
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
    /// Loads every entry whose name matches a parameter. Shape mismatches are errors; keys the file lacks or
    /// has in excess are returned for the caller to judge (a full checkpoint must match exactly).
    /// </summary>
    public static (List<string> Missing, List<string> Unexpected) Load(
        INetwork network, IEnumerable<SafeTensorEntry> entries, string path, Func<string, string>? rename = null, Func<Parameter, bool>? wanted = null)
    {
        var byName = network.Parameters.ToDictionary(p => p.Name);
        var loaded = new HashSet<string>();
        var unexpected = new List<string>();
        foreach (SafeTensorEntry entry in entries)
        {
            string name = rename?.Invoke(entry.Name) ?? entry.Name;
            if (!byName.TryGetValue(name, out Parameter? p))
            {
                unexpected.Add(entry.Name);
                continue;
            }

            if (!entry.Shape.SequenceEqual(p.Shape.Select(d => (long)d)))
            {
                throw new CheckpointException(
                    $"{path}: tensor '{entry.Name}' has shape [{string.Join(",", entry.Shape)}] but {network.SpecName}'s '{name}' is [{string.Join(",", p.Shape)}]");
            }

            DeviceData.Upload(p.Value.View, entry.ToFloats());
            loaded.Add(name);
        }

        var missing = network.Parameters.Where(p => (wanted?.Invoke(p) ?? true) && !loaded.Contains(p.Name)).Select(p => p.Name).ToList();
        network.Device.Synchronize();
        return (missing, unexpected);
    }
}
