using System;
using System.Globalization;
using System.Linq;

namespace NetSpec.Dsl.Catalog;

public enum AttrType
{
    Int,

    /// <summary>An int, or a pair "h,w" written as [h, w] in YAML.</summary>
    IntPair,
    Float,
    Bool,

    /// <summary>One of <see cref="AttrSpec.Choices"/>.</summary>
    Choice,
}

/// <summary>
/// One attribute an op accepts, declared once in its rule: name, type, range, default. The front end checks a written
/// value against it (NS0007) and stores its canonical text (<see cref="Model.OpNode"/>); the rule's typed record reads
/// it back through <see cref="AttrSpec{T}"/>, with the declared default when it was not written.
/// </summary>
public abstract class AttrSpec(string name, AttrType type, bool required, double min, double max, string[]? choices, string doc)
{
    public string Name => name;

    public AttrType Type => type;

    /// <summary>Must be written (NS0008 when not): no default, and absence means nothing.</summary>
    public bool Required => required;

    public double Min => min;

    public double Max => max;

    public string[]? Choices => choices;

    public string Doc => doc;
}

/// <summary>An attribute whose value is a <typeparamref name="T"/>.</summary>
public abstract class AttrSpec<T>(string name, AttrType type, bool required, double min, double max, string[]? choices, string doc)
    : AttrSpec(name, type, required, min, max, choices, doc)
{
    /// <summary>The value of canonical text the front end wrote; text it could not have written is a compiler bug.</summary>
    public abstract T Parse(string text);

    /// <summary>The value when the attribute was not written.</summary>
    public abstract T Absent(string op);

    protected FormatException Malformed(string text) => new($"attribute '{Name}' has malformed canonical text '{text}'");

    protected InvalidOperationException Missing(string op) => new($"{op} needs {Name}: and the node has none (the front end reports NS0008)");

    protected static int ParseInt(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}

/// <summary>An int in [min, max]; required when it has no default.</summary>
public sealed class IntAttr(string name, int? @default, int min, int max, string doc = "")
    : AttrSpec<int>(name, AttrType.Int, @default is null, min, max, null, doc)
{
    public override int Parse(string text) => ParseInt(text);

    public override int Absent(string op) => @default ?? throw Missing(op);
}

/// <summary>An (h, w) pair of ints in [min, max], written as an int (both) or [h, w]; required when it has no default.</summary>
public sealed class PairAttr(string name, int? @default, int min, int max, string doc = "")
    : AttrSpec<IntPair>(name, AttrType.IntPair, @default is null, min, max, null, doc)
{
    public override IntPair Parse(string text) => IntPair.Parse(text);

    public override IntPair Absent(string op) => @default is int d ? new IntPair(d, d) : throw Missing(op);
}

/// <summary>A pair that may be left out: null then, and the rule says what that means (a pool's stride is its kernel).</summary>
public sealed class OptionalPairAttr(string name, int min, int max, string doc)
    : AttrSpec<IntPair?>(name, AttrType.IntPair, false, min, max, null, doc)
{
    public override IntPair? Parse(string text) => IntPair.Parse(text);

    public override IntPair? Absent(string op) => null;
}

public sealed class FloatAttr(string name, double @default, double min, double max, string doc = "")
    : AttrSpec<double>(name, AttrType.Float, false, min, max, null, doc)
{
    public override double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    public override double Absent(string op) => @default;
}

public sealed class BoolAttr(string name, bool @default, string doc = "")
    : AttrSpec<bool>(name, AttrType.Bool, false, double.NegativeInfinity, double.PositiveInfinity, null, doc)
{
    public override bool Parse(string text) => text switch { "true" => true, "false" => false, _ => throw Malformed(text) };

    public override bool Absent(string op) => @default;
}

/// <summary>One of a fixed set of words, each standing for a <typeparamref name="T"/>.</summary>
public sealed class ChoiceAttr<T>(string name, T @default, params (string Word, T Value)[] choices)
    : AttrSpec<T>(name, AttrType.Choice, false, double.NegativeInfinity, double.PositiveInfinity, choices.Select(c => c.Word).ToArray(), "")
    where T : struct
{
    public override T Parse(string text)
    {
        foreach ((string word, T value) in choices)
            if (word == text)
                return value;
        throw Malformed(text);
    }

    public override T Absent(string op) => @default;
}

/// <summary>A (height, width) pair of ints: kernel, stride, padding, dilation, size.</summary>
public readonly record struct IntPair(int H, int W)
{
    /// <summary>"3" → (3, 3); "3,5" → (3, 5).</summary>
    public static IntPair Parse(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length > 2)
            throw new FormatException($"'{text}' is not an int or an int pair");
        int h = int.Parse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture);
        return new IntPair(h, parts.Length == 2 ? int.Parse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture) : h);
    }
}
