namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// A list of state_dict keys for one report line: every name when there are at most <see cref="MaxNamed"/> (or when
/// asked, <c>--verbose</c>), otherwise a count per module: the keys' common dotted prefix and the next name part,
/// "72 by module: backbone.layer2.* (24), backbone.layer3.* (36), backbone.layer4.* (12) (--verbose names each)", in
/// order of first appearance, at most <see cref="MaxGroups"/> groups and then how many more.
/// </summary>
public static class KeySummary
{
    public const int MaxNamed = 10;

    public const int MaxGroups = 8;

    /// <summary>"0", "2 (fc.weight, fc.bias)", or "72 by module: backbone.layer2.* (24), … (--verbose names each)".</summary>
    public static string Of(IReadOnlyList<string> keys, bool verbose)
    {
        if (keys.Count == 0)
            return "0";
        if (verbose || keys.Count <= MaxNamed)
            return $"{keys.Count} ({string.Join(", ", keys)})";
        string prefix = CommonPrefix(keys);
        var groups = keys.GroupBy(k => Module(k, prefix), StringComparer.Ordinal).Select(g => $"{g.Key} ({g.Count()})").ToList();
        string more = groups.Count > MaxGroups ? $", … {groups.Count - MaxGroups} more modules" : "";
        return $"{keys.Count} by module: {string.Join(", ", groups.Take(MaxGroups))}{more} (--verbose names each)";
    }

    // the dotted parts every key starts with, "backbone." for backbone.layer2.0.conv1.weight and backbone.layer3.…
    private static string CommonPrefix(IReadOnlyList<string> keys)
    {
        string[] first = keys[0].Split('.');
        int common = first.Length - 1; // never the whole key: a group is a module
        foreach (string key in keys.Skip(1))
        {
            string[] parts = key.Split('.');
            int same = 0;
            while (same < common && same < parts.Length - 1 && parts[same] == first[same])
                same++;
            common = same;
        }

        return string.Concat(first.Take(common).Select(p => p + "."));
    }

    // backbone.layer2.* for backbone.layer2.0.conv1.weight under "backbone."; a key with nothing below that part is itself
    private static string Module(string key, string prefix)
    {
        int dot = key.IndexOf('.', prefix.Length);
        return dot < 0 ? key : key[..(dot + 1)] + "*";
    }
}
