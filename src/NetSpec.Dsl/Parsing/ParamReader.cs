using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Diagnostics;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// Reads typed parameter declarations: <c>planes: int</c> (required) or
/// <c>gate: { type: choice, values: [none, sigmoid], default: none }</c>, with optional min/max/doc.
/// Without <c>type:</c>, the type follows <c>values:</c> (choice) or the default's literal.
/// </summary>
internal static class ParamReader
{
    private const string Keys = "type, values, default, min, max, doc";

    public static List<ParamDecl> Read(YMapping section, TreeShape shape)
    {
        var list = new List<ParamDecl>();
        foreach (KeyValuePair<YScalar, YNode> entry in section.Entries)
        {
            if (!shape.Name(entry.Key, "parameter name"))
                continue;
            if (NodeReader.Reserved.Contains(entry.Key.Value))
            {
                shape.Diagnostics.Report(DiagnosticCatalog.InvalidName, entry.Key.Location, entry.Key.Value, " (a reserved word of node entries)");
                continue;
            }

            ParamDecl? p = entry.Value is YScalar s ? Shorthand(entry.Key, s, shape) : Full(entry.Key, entry.Value, shape);
            if (p is not null)
                list.Add(p);
        }

        return list;
    }

    private static ParamDecl? Shorthand(YScalar name, YScalar type, TreeShape shape) =>
        ParseType(type, shape) is ParamType t ? new ParamDecl(name.Value, name, t, null, double.NegativeInfinity, double.PositiveInfinity, new string[0]) : null;

    private static ParamDecl? Full(YScalar name, YNode body, TreeShape shape)
    {
        if (shape.Mapping(body, $"parameter '{name.Value}'") is not YMapping m)
            return null;
        foreach (KeyValuePair<YScalar, YNode> e in m.Entries)
            if (!Keys.Split(',').Select(k => k.Trim()).Contains(e.Key.Value))
                shape.UnknownKey(e.Key, $"parameter '{name.Value}'", Keys);
        List<YScalar>? values = shape.ScalarList(m.Get("values"), "values");
        YNode? def = m.Get("default");
        ParamType? type = m.Get("type") is YNode t ? (shape.Scalar(t, "type") is YScalar ts ? ParseType(ts, shape) : null)
            : values is not null ? ParamType.Choice
            : def is YScalar ds ? Infer(ds)
            : null;
        if (type is null)
        {
            if (m.Get("type") is null)
                shape.Diagnostics.Report(DiagnosticCatalog.Missing, name.Location, $"Parameter '{name.Value}' needs a type: (int, float, bool or choice) or a default");
            return null;
        }

        if (type == ParamType.Choice && (values is null || values.Count == 0))
        {
            shape.Diagnostics.Report(DiagnosticCatalog.Missing, name.Location, $"Choice parameter '{name.Value}' needs values: [a, b, …]");
            return null;
        }

        return new ParamDecl(name.Value, name, type.Value, def is YScalar { IsNull: true } ? null : def,
            Bound(m.Get("min"), double.NegativeInfinity, shape), Bound(m.Get("max"), double.PositiveInfinity, shape),
            values?.Select(v => v.Value).ToArray() ?? new string[0]);
    }

    private static ParamType? Infer(YScalar s) => Value.FromLiteral(s).Data switch
    {
        long => ParamType.Int,
        double => ParamType.Float,
        bool => ParamType.Bool,
        _ => null,
    };

    private static ParamType? ParseType(YScalar s, TreeShape shape)
    {
        switch (s.Value)
        {
            case "int": return ParamType.Int;
            case "float": return ParamType.Float;
            case "bool": return ParamType.Bool;
            case "choice": return ParamType.Choice;
        }

        shape.Diagnostics.Report(DiagnosticCatalog.BadValue, s.Location, $"Unknown parameter type '{s.Value}'; use int, float, bool or choice");
        return null;
    }

    private static double Bound(YNode? node, double fallback, TreeShape shape)
    {
        if (node is null)
            return fallback;
        if (node is YScalar s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && !double.IsNaN(d))
            return d;
        shape.Diagnostics.Report(DiagnosticCatalog.BadValue, node.Location, "min: and max: take a number");
        return fallback;
    }
}
