using System.Collections.Generic;

namespace NetSpec.Dsl.Parsing;

// What a spec file declares, read from the merged YAML tree with structure checked but values not yet
// evaluated (values may be $expressions that only mean something inside a block instance).

internal enum ParamType
{
    Int,
    Float,
    Bool,
    Choice,
}

internal sealed record ParamDecl(string Name, YScalar NameToken, ParamType Type, YNode? Default, double Min, double Max, string[] Choices)
{
    public string Describe() => Type == ParamType.Choice ? "one of " + string.Join("|", Choices) : Type.ToString().ToLowerInvariant();
}

internal readonly record struct Arg(YScalar Key, YNode Value);

/// <summary>
/// One entry of a <c>graph:</c>, a block's <c>nodes:</c> or <c>losses:</c>: an op or a block instance.
/// <see cref="Inputs"/> is null when the node reads the previous entry (or the block's first input).
/// </summary>
internal sealed class NodeDecl
{
    public NodeDecl(string name, YScalar nameToken) => (Name, NameToken) = (name, nameToken);

    public string Name { get; }

    public YScalar NameToken { get; }

    public YScalar? Op { get; set; }

    public YScalar? Block { get; set; }

    public List<YScalar>? Inputs { get; set; }

    public YNode? When { get; set; }

    public YScalar? Otherwise { get; set; }

    public YNode? TrainOnly { get; set; }

    public YNode? Repeat { get; set; }

    public List<Arg> First { get; } = new();

    public List<Arg> Args { get; } = new();

    public YNode? Weight { get; set; }
}

internal sealed class BlockDecl
{
    public BlockDecl(string name, YScalar nameToken) => (Name, NameToken) = (name, nameToken);

    public string Name { get; }

    public YScalar NameToken { get; }

    public List<YScalar> Inputs { get; } = new();

    public List<ParamDecl> Params { get; } = new();

    public List<NodeDecl> Nodes { get; } = new();

    /// <summary>Named outputs (name → reference inside the block); the first is the default output.</summary>
    public List<KeyValuePair<YScalar, YScalar>> Outputs { get; } = new();
}

internal sealed record InputSpec(YScalar Name, YScalar? Kind, YSequence? Shape, YNode? Ignore, YNode Body);

internal sealed record GroupSpec(YScalar Name, YNode? LrMult, YNode? WeightDecay, List<YScalar> Members);

internal sealed class SpecDecl
{
    public bool Abstract { get; set; }

    public YScalar? Name { get; set; }

    public YScalar? ClassName { get; set; }

    public YNode? Classes { get; set; }

    public YNode? ClassesKey { get; set; }

    public List<Arg> Sizes { get; } = new();

    public List<InputSpec> Inputs { get; } = new();

    public List<ParamDecl> Params { get; } = new();

    public Dictionary<string, BlockDecl> Blocks { get; } = new();

    public List<NodeDecl> Graph { get; } = new();

    public List<KeyValuePair<YScalar, YScalar>> Outputs { get; } = new();

    public List<NodeDecl> Losses { get; } = new();

    public List<GroupSpec> Groups { get; } = new();
}
