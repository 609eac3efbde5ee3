namespace NetSpec.Runtime.Weights;

/// <summary>
/// Pairs a file's tensors with a network's parameters by state_dict name (after an optional rename) and shape:
/// what fits, what the file lacks, what it has in excess, what is mis-shaped. Nothing is read or written.
/// </summary>
internal sealed record StateDictMatch<T>(
    List<(Parameter Parameter, T Tensor)> Matched, List<string> Missing, List<string> Unexpected, List<ShapeMismatch> Mismatched)
{
    /// <param name="network">The network whose parameters are to be filled.</param>
    /// <param name="tensors">The file's tensors.</param>
    /// <param name="name">A tensor's name in the file.</param>
    /// <param name="shape">A tensor's shape in the file.</param>
    /// <param name="rename">File name → parameter name (e.g. a pretrained layout's key map); identity when null.</param>
    /// <param name="wanted">The parameters a load is meant to fill (others are never "missing"); all when null.</param>
    public static StateDictMatch<T> Build(
        INetwork network, IEnumerable<T> tensors, Func<T, string> name, Func<T, long[]> shape,
        Func<string, string>? rename = null, Func<Parameter, bool>? wanted = null)
    {
        var byName = network.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var match = new StateDictMatch<T>([], [], [], []);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (T tensor in tensors)
        {
            string fileName = name(tensor);
            string target = rename?.Invoke(fileName) ?? fileName;
            if (!byName.TryGetValue(target, out Parameter? p))
            {
                match.Unexpected.Add(fileName);
                continue;
            }

            long[] fileShape = shape(tensor);
            if (!fileShape.SequenceEqual(p.Shape.Select(d => (long)d)))
            {
                match.Mismatched.Add(new ShapeMismatch(fileName, fileShape, target, p.Shape));
                named.Add(target); // reported as mis-shaped, not also as missing
                continue;
            }

            match.Matched.Add((p, tensor));
            named.Add(target);
        }

        match.Missing.AddRange(network.Parameters.Where(p => (wanted?.Invoke(p) ?? true) && !named.Contains(p.Name)).Select(p => p.Name));
        return match;
    }
}
