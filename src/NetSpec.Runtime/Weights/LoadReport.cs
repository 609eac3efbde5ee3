namespace NetSpec.Runtime.Weights;

/// <summary>A tensor whose name matches a parameter but whose shape does not.</summary>
/// <param name="Name">The tensor's name in the file.</param>
/// <param name="FileShape">Its shape in the file.</param>
/// <param name="Parameter">The parameter it would fill.</param>
/// <param name="NetworkShape">The parameter's shape.</param>
public sealed record ShapeMismatch(string Name, long[] FileShape, string Parameter, int[] NetworkShape)
{
    /// <summary>One phrase naming both sides, e.g. "tensor 'w' has shape [2] but sanet-tiny's 'w' is [3]".</summary>
    public string Describe(string network) =>
        $"tensor '{Name}' has shape [{string.Join(",", FileShape)}] but {network}'s '{Parameter}' is [{string.Join(",", NetworkShape)}]";

    /// <inheritdoc/>
    public override string ToString() => Describe("the network");
}

/// <summary>What a load did, as PyTorch's <c>load_state_dict(strict=False)</c> reports it, plus shape mismatches.</summary>
/// <param name="Loaded">Parameters filled from the file, in the network's order.</param>
/// <param name="Missing">Parameters the file lacks (left as they were).</param>
/// <param name="Unexpected">Tensors of the file that match no parameter (not read).</param>
/// <param name="Mismatched">Tensors whose name matches but whose shape does not (not loaded).</param>
/// <param name="Metadata">The file's metadata.</param>
public sealed record LoadReport(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<ShapeMismatch> Mismatched,
    CheckpointMetadata Metadata)
{
    /// <summary>Every parameter loaded and every tensor used.</summary>
    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    /// <summary>Names listed in a one-line message before "… N more".</summary>
    public const int ListedNames = 10;

    /// <summary>One line: counts, then the names of what did not fit (the first <see cref="ListedNames"/> of each kind).</summary>
    public string Describe()
    {
        var parts = new List<string> { $"loaded {Loaded.Count}" };
        if (Missing.Count > 0)
            parts.Add($"missing {Missing.Count} ({List(Missing)})");
        if (Unexpected.Count > 0)
            parts.Add($"unexpected {Unexpected.Count} ({List(Unexpected)})");
        if (Mismatched.Count > 0)
            parts.Add($"mis-shaped {Mismatched.Count} ({List(Mismatched.Select(m => m.ToString()).ToList())})");
        return string.Join(", ", parts);
    }

    private static string List(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(ListedNames)) + (names.Count > ListedNames ? $", … {names.Count - ListedNames} more" : "");
}
