using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using NetSpec.Dsl.Diagnostics;

namespace NetSpec.Dsl.Parsing;

/// <summary>Checks that a YAML node has the kind a section expects, reporting NS0002 / NS0023 when not.</summary>
internal sealed class TreeShape
{
    private static readonly Regex NamePattern = new("^[A-Za-z0-9_]+$");

    public TreeShape(DiagnosticBag diagnostics) => Diagnostics = diagnostics;

    public DiagnosticBag Diagnostics { get; }

    public YMapping? Mapping(YNode? node, string what)
    {
        if (node is YMapping m)
            return m;
        if (node is YScalar { IsNull: true })
            return new YMapping(new List<KeyValuePair<YScalar, YNode>>(), node.Location);
        if (node is not null)
            Diagnostics.Report(DiagnosticCatalog.Structure, node.Location, $"{what} must be a mapping (key: value lines), not {node.KindName}");
        return null;
    }

    public YScalar? Scalar(YNode? node, string what)
    {
        if (node is YScalar s && !s.IsNull)
            return s;
        if (node is not null)
            Diagnostics.Report(DiagnosticCatalog.Structure, node.Location, $"{what} must be a single value, not {(node is YScalar ? "empty" : node.KindName)}");
        return null;
    }

    /// <summary>A name or a list of names: <c>x</c> or <c>[a, b]</c>.</summary>
    public List<YScalar>? ScalarList(YNode? node, string what)
    {
        if (node is null)
            return null;
        if (node is YScalar s && !s.IsNull)
            return new List<YScalar> { s };
        if (node is YSequence seq)
        {
            var list = new List<YScalar>();
            foreach (YNode item in seq.Items)
                if (Scalar(item, what + " items") is YScalar one)
                    list.Add(one);
            return list;
        }

        Diagnostics.Report(DiagnosticCatalog.Structure, node.Location, $"{what} must be a name or a list of names, not {node.KindName}");
        return null;
    }

    public bool Name(YScalar token, string what)
    {
        if (NamePattern.IsMatch(token.Value))
            return true;
        Diagnostics.Report(DiagnosticCatalog.InvalidName, token.Location, token.Value, $" ({what})");
        return false;
    }

    public void UnknownKey(YScalar key, string where, string accepted) =>
        Diagnostics.Report(DiagnosticCatalog.Structure, key.Location, $"Unknown key '{key.Value}' in {where}.{Suggestion.For(key.Value, accepted.Split(',').Select(a => a.Trim()))} Accepted: {accepted}");
}
