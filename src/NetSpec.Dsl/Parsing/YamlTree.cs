using System.Collections.Generic;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Parsing;

/// <summary>A YAML node with the location of its first token; the front end never keeps YamlDotNet objects.</summary>
internal abstract class YNode
{
    protected YNode(SourceLocation location) => Location = location;

    public SourceLocation Location { get; }

    public abstract string KindName { get; }
}

/// <summary>A scalar. <see cref="Quoted"/> scalars are always strings; plain ones may be numbers, bools or null.</summary>
internal sealed class YScalar : YNode
{
    public YScalar(string value, bool quoted, SourceLocation location)
        : base(location)
    {
        Value = value;
        Quoted = quoted;
    }

    public string Value { get; }

    public bool Quoted { get; }

    public bool IsNull => !Quoted && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string KindName => "a scalar";
}

internal sealed class YSequence : YNode
{
    public YSequence(List<YNode> items, SourceLocation location)
        : base(location) => Items = items;

    public List<YNode> Items { get; }

    public override string KindName => "a list";
}

/// <summary>A mapping with scalar keys, in file order (order matters: nodes expand in the order written).</summary>
internal sealed class YMapping : YNode
{
    public YMapping(List<KeyValuePair<YScalar, YNode>> entries, SourceLocation location)
        : base(location) => Entries = entries;

    public List<KeyValuePair<YScalar, YNode>> Entries { get; }

    public override string KindName => "a mapping";

    public YNode? Get(string key)
    {
        foreach (KeyValuePair<YScalar, YNode> e in Entries)
            if (e.Key.Value == key)
                return e.Value;
        return null;
    }

    public YScalar? KeyOf(string key)
    {
        foreach (KeyValuePair<YScalar, YNode> e in Entries)
            if (e.Key.Value == key)
                return e.Key;
        return null;
    }
}
