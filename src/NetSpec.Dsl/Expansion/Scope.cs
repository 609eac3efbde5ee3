using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

internal enum EntryState
{
    Input,
    Pending,
    Active,
    Skipped,
    Failed,
}

/// <summary>A name visible in a scope: a graph/block input, or a node entry and what it expanded to.</summary>
internal sealed class Entry
{
    public EntryState State { get; set; }

    /// <summary>The tensor that the bare name stands for.</summary>
    public string? Tensor { get; set; }

    /// <summary>Named outputs of a block instance (<c>backbone.c4</c>).</summary>
    public Dictionary<string, string> Outputs { get; set; } = new();

    public YScalar? Otherwise { get; set; }
}

/// <summary>
/// The names and <c>$variables</c> visible while expanding the graph or one block instance. Blocks are
/// lexically closed: they see their inputs, their own nodes and their parameters only.
/// </summary>
internal sealed class Scope
{
    public Scope(string prefix, string description, Scope? parent = null)
    {
        Prefix = prefix;
        Description = description;
        Parent = parent;
    }

    public string Prefix { get; }

    public string Description { get; }

    public Scope? Parent { get; }

    public Dictionary<string, Value> Vars { get; } = new();

    public Dictionary<string, Entry> Names { get; } = new();

    public List<string> InputNames { get; } = new();

    /// <summary>True inside an instance marked train_only: every node in it is train-only.</summary>
    public bool TrainOnly { get; set; }

    public bool IsGraph => Parent is null ? Prefix.Length == 0 : Parent.IsGraph;

    public Entry? Find(string name) =>
        Names.TryGetValue(name, out Entry? e) ? e : Parent?.Find(name);

    /// <summary>The variables that expressions in this scope have read (for the unused-parameter warning).</summary>
    public HashSet<string> Used { get; } = new();

    public Value? Variable(string name)
    {
        if (!Vars.TryGetValue(name, out Value? v))
            return Parent?.Variable(name);
        Used.Add(name);
        return v;
    }

    public IEnumerable<string> AllVariables() => Vars.Keys.Concat(Parent?.AllVariables() ?? Enumerable.Empty<string>());

    public IEnumerable<string> AllNames() => Names.Where(n => n.Value.State != EntryState.Pending).Select(n => n.Key)
        .Concat(Parent?.AllNames() ?? Enumerable.Empty<string>());
}
