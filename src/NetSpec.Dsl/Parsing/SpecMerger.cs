using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Diagnostics;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// Merges a spec over the spec it extends. Sections that are mappings of named entries merge entry by
/// entry (a child entry replaces the parent's in place, new entries go last, <c>name: ~</c> removes one);
/// in <c>params:</c> a plain value for a declared parameter changes its default, which is how
/// <c>params: { attention: se }</c> turns SANet into its SE variant. Other keys replace the parent's.
/// <c>name</c>, <c>class</c> and <c>abstract</c> belong to each file and are not inherited.
/// </summary>
internal static class SpecMerger
{
    private static readonly HashSet<string> PerFile = new() { "extends", "abstract", "name", "class" };
    private static readonly HashSet<string> NamedSections = new() { "params", "blocks", "inputs", "graph", "outputs", "losses", "groups", "sizes" };

    public static YMapping Merge(YMapping parent, YMapping child, DiagnosticBag diagnostics)
    {
        var result = parent.Entries.Where(e => !PerFile.Contains(e.Key.Value)).ToList();
        foreach (KeyValuePair<YScalar, YNode> entry in child.Entries)
        {
            if (entry.Key.Value == "extends")
                continue;
            int at = result.FindIndex(e => e.Key.Value == entry.Key.Value);
            YNode value = entry.Value;
            if (at >= 0 && NamedSections.Contains(entry.Key.Value) && result[at].Value is YMapping p && value is YMapping c)
                value = MergeSection(entry.Key.Value, p, c, diagnostics);
            Put(result, at, entry.Key, value);
        }

        return new YMapping(result, child.Location);
    }

    private static YMapping MergeSection(string section, YMapping parent, YMapping child, DiagnosticBag diagnostics)
    {
        var result = parent.Entries.ToList();
        foreach (KeyValuePair<YScalar, YNode> entry in child.Entries)
        {
            int at = result.FindIndex(e => e.Key.Value == entry.Key.Value);
            if (entry.Value is YScalar { IsNull: true })
            {
                if (at >= 0)
                    result.RemoveAt(at);
                continue;
            }

            YNode value = entry.Value;
            if (section == "params" && value is not YMapping)
            {
                if (at < 0 || result[at].Value is not YMapping declaration)
                {
                    diagnostics.Report(DiagnosticCatalog.UnknownArgument, entry.Key.Location, entry.Key.Value,
                        "a parameter declared by the spec this one extends",
                        string.Join(", ", result.Select(e => e.Key.Value)), Suggestion.For(entry.Key.Value, result.Select(e => e.Key.Value)));
                    continue;
                }

                value = WithDefault(declaration, value);
            }

            Put(result, at, entry.Key, value);
        }

        return new YMapping(result, child.Location);
    }

    private static YMapping WithDefault(YMapping declaration, YNode value)
    {
        var entries = declaration.Entries.Where(e => e.Key.Value != "default").ToList();
        entries.Add(new KeyValuePair<YScalar, YNode>(new YScalar("default", false, value.Location), value));
        return new YMapping(entries, declaration.Location);
    }

    private static void Put(List<KeyValuePair<YScalar, YNode>> entries, int at, YScalar key, YNode value)
    {
        var entry = new KeyValuePair<YScalar, YNode>(key, value);
        if (at >= 0)
            entries[at] = entry;
        else
            entries.Add(entry);
    }
}
