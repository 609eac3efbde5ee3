namespace NetSpec.Dsl.Model;

/// <summary>
/// A spec after parsing, <c>extends</c>, block expansion and stage repetition: a flat list of
/// primitive ops over named tensors. This is the contract between the front end
/// (Parsing/, Expansion/) and the middle (Shapes/, Scheduling/, Autodiff/, Planning/) and the generator.
/// Everything here is a value: equal specs give equal models, which the incremental cache relies on.
/// </summary>
/// <param name="Name">Spec name, e.g. <c>sanet-r50</c>.</param>
/// <param name="ClassName">C# class to generate, e.g. <c>SanetR50</c>.</param>
/// <param name="Path">Spec file path as given to the compiler (used in diagnostics).</param>
/// <param name="NumClasses">K, the number of classes.</param>
/// <param name="Inputs">Graph inputs: the image (N,3,H,W) and the label map (N,H,W).</param>
/// <param name="Nodes">Primitive ops in spec order (a topological order is the middle's job).</param>
/// <param name="Outputs">Named outputs (e.g. mask, dense, cat).</param>
/// <param name="Losses">Loss terms and their weights; the total loss is their weighted sum.</param>
/// <param name="Groups">Parameter groups with learning-rate multipliers (backbone 1×, head 10×).</param>
/// <param name="DefaultSizes">Default values of the symbolic sizes (N, H, W) for plans and reports.</param>
public sealed record ExpandedSpec(
    string Name,
    string ClassName,
    string Path,
    int NumClasses,
    EquatableArray<InputDecl> Inputs,
    EquatableArray<OpNode> Nodes,
    EquatableArray<OutputDecl> Outputs,
    EquatableArray<LossDecl> Losses,
    EquatableArray<ParamGroupDecl> Groups,
    EquatableArray<SizeDefault> DefaultSizes)
{
    /// <summary>Where the spec's name comes from: its <c>name:</c> value, else the start of the file.</summary>
    public SourceLocation NameLocation { get; init; } = new(Path, 1, 1, 1);

    /// <summary>Where the class name comes from: <c>class:</c>, else <c>name:</c>, else the start of the file.</summary>
    public SourceLocation ClassNameLocation { get; init; } = new(Path, 1, 1, 1);
}

public enum InputKind
{
    /// <summary>float32 NCHW tensor.</summary>
    Image,

    /// <summary>int32 class-id map (N,H,W); <see cref="InputDecl.IgnoreLabel"/> marks pixels to ignore.</summary>
    Label,
}

/// <summary>A graph input. Dims are symbols ("N", "H", "W") or integer literals ("3").</summary>
public sealed record InputDecl(string Name, InputKind Kind, EquatableArray<string> Dims, int IgnoreLabel, SourceLocation Location);

/// <summary>
/// One primitive op. <see cref="Name"/> is hierarchical and doubles as the PyTorch state_dict prefix
/// of its parameters (<c>backbone.layer1.0.conv1</c> → <c>backbone.layer1.0.conv1.weight</c>).
/// <see cref="Output"/> is the name of the tensor it produces (by default the node name).
/// <see cref="Attrs"/> are the attributes as written, checked, with their YAML locations: canonical strings, ints "3",
/// lists "3,3", floats "1E-05" (invariant "R"), bools "true"/"false", enums "bilinear". <see cref="Attributes"/> are
/// the same values typed, defaults filled in, as the op's rule reads them (the record type is the op's).
/// </summary>
public sealed record OpNode(
    string Name,
    string Op,
    EquatableArray<string> Inputs,
    string Output,
    EquatableArray<Attr> Attrs,
    OpAttributes Attributes,
    bool TrainOnly,
    string ParamGroup,
    SourceLocation Location)
{
    /// <summary>The typed attributes, as the op's record type; another type is a compiler bug.</summary>
    public T AttributesAs<T>()
        where T : OpAttributes =>
        Attributes as T ?? throw new System.InvalidOperationException($"{Op} '{Name}' has {Attributes.GetType().Name}, not {typeof(T).Name}");

    /// <summary>Where attribute <paramref name="key"/> is written, or the node's location when it is not.</summary>
    public SourceLocation Where(string key)
    {
        foreach (Attr a in Attrs)
            if (a.Key == key)
                return a.Location;
        return Location;
    }

    /// <summary>An attribute's canonical text as written, or null (for tests and golden dumps; rules read <see cref="Attributes"/>).</summary>
    public string? Get(string key)
    {
        foreach (Attr a in Attrs)
            if (a.Key == key)
                return a.Value;
        return null;
    }
}

/// <summary>An op attribute; <see cref="Location"/> points at its value in the YAML.</summary>
public sealed record Attr(string Key, string Value, SourceLocation Location);

public sealed record OutputDecl(string Name, string Tensor, SourceLocation Location);

/// <summary>A loss term: the node computing it (a loss op producing a scalar) and its weight in the total.</summary>
public sealed record LossDecl(string Name, string Node, double Weight, SourceLocation Location);

public sealed record ParamGroupDecl(string Name, double LrMult, bool WeightDecay, SourceLocation Location);

public sealed record SizeDefault(string Symbol, int Value);
