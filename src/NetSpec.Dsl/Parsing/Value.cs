using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// A spec value: long, double, bool, string or a list of values, with the location of the token it
/// came from (for <c>$planes</c> passed down through blocks, the place where the number was written).
/// </summary>
internal sealed class Value
{
    public Value(object data, SourceLocation location)
    {
        Data = data;
        Location = location;
    }

    /// <summary>Stands for a value that already failed (and was reported): using it reports nothing more.</summary>
    public static Value Poison { get; } = new(new object(), default);

    public object Data { get; }

    public SourceLocation Location { get; }

    public string TypeName => Data switch
    {
        long => "int",
        double => "float",
        bool => "bool",
        string => "string",
        _ => "list",
    };

    public override string ToString() => Data switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        List<Value> list => "[" + string.Join(", ", list.Select(v => v.ToString())) + "]",
        _ => Data.ToString()!,
    };

    /// <summary>Reads a plain YAML scalar: integer, float, bool or else a string.</summary>
    public static Value FromLiteral(YScalar s)
    {
        string t = s.Value.Trim();
        if (!s.Quoted)
        {
            if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
                return new Value(l, s.Location);
            if (t.Length > 0 && (char.IsDigit(t[0]) || t[0] == '-' || t[0] == '.' || t[0] == '+')
                && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                && !double.IsNaN(d) && !double.IsInfinity(d))
                return new Value(d, s.Location);
            if (t == "true" || t == "True" || t == "TRUE")
                return new Value(true, s.Location);
            if (t == "false" || t == "False" || t == "FALSE")
                return new Value(false, s.Location);
        }

        return new Value(s.Value, s.Location);
    }
}
