using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

/// <summary>Evaluates YAML values in a scope and checks them against parameter and attribute types (NS0007).</summary>
internal sealed class ValueChecks
{
    private readonly DiagnosticBag diagnostics;

    public ValueChecks(DiagnosticBag diagnostics) => this.diagnostics = diagnostics;

    public Value? Evaluate(YNode node, Scope scope)
    {
        switch (node)
        {
            case YScalar s when Expression.IsExpression(s):
                return Expression.Evaluate(s, scope.Variable, scope.AllVariables, diagnostics);
            case YScalar s:
                return Value.FromLiteral(s);
            case YSequence seq:
                var items = new List<Value>();
                foreach (YNode item in seq.Items)
                {
                    if (item is not YScalar || Evaluate(item, scope) is not Value v)
                    {
                        if (item is not YScalar)
                            diagnostics.Report(DiagnosticCatalog.BadValue, item.Location, $"A list item must be a single value, not {item.KindName}");
                        return null;
                    }

                    items.Add(v);
                }

                return new Value(items, seq.Location);
            default:
                diagnostics.Report(DiagnosticCatalog.BadValue, node.Location, $"Expected a value, found {node.KindName}");
                return null;
        }
    }

    public bool? Bool(YNode node, Scope scope, string what)
    {
        Value? v = Evaluate(node, scope);
        if (v is null)
            return null;
        if (v.Data is bool b)
            return b;
        diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, $"{what} takes true or false, got {v.TypeName} '{v}'");
        return null;
    }

    public long? Int(YNode node, Scope scope, string what, long min, long max)
    {
        Value? v = Evaluate(node, scope);
        if (v is null)
            return null;
        if (v.Data is long l && l >= min && l <= max)
            return l;
        diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, v.Data is long
            ? $"{what} must be in [{min}, {max}], got {v}"
            : $"{what} takes an int, got {v.TypeName} '{v}'");
        return null;
    }

    public double? Number(YNode node, Scope scope, string what, double min, double max)
    {
        Value? v = Evaluate(node, scope);
        if (v is null)
            return null;
        double? d = v.Data switch { long l => l, double x => x, _ => null };
        if (d is double ok && ok >= min && ok <= max)
            return ok;
        diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, d is null
            ? $"{what} takes a number, got {v.TypeName} '{v}'"
            : $"{what} must be in [{Format(min)}, {Format(max)}], got {v}");
        return null;
    }

    /// <summary>A value for a typed block or spec parameter, converted (int → float) and range-checked.</summary>
    public Value? Coerce(ParamDecl p, Value v)
    {
        object? data = p.Type switch
        {
            ParamType.Int => v.Data is long ? v.Data : null,
            ParamType.Float => v.Data is long l ? (double)l : v.Data is double ? v.Data : null,
            ParamType.Bool => v.Data is bool ? v.Data : null,
            _ => v.Data is List<Value> ? null : v.ToString(),
        };
        if (data is null)
        {
            diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, $"Parameter '{p.Name}' takes {p.Describe()}, got {v.TypeName} '{v}'");
            return null;
        }

        if (p.Type == ParamType.Choice && !p.Choices.Contains((string)data))
        {
            diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, $"Parameter '{p.Name}' takes one of {string.Join(", ", p.Choices)}; got '{data}'");
            return null;
        }

        if (data is long or double && (Convert.ToDouble(data, CultureInfo.InvariantCulture) < p.Min || Convert.ToDouble(data, CultureInfo.InvariantCulture) > p.Max))
        {
            diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, $"Parameter '{p.Name}' must be in [{Format(p.Min)}, {Format(p.Max)}], got {v}");
            return null;
        }

        return new Value(data, v.Location);
    }

    /// <summary>An op attribute's canonical string (see <see cref="Model.OpNode"/>), or null after NS0007.</summary>
    public string? Attribute(AttrSpec a, Value v, string op)
    {
        string? text = a.Type switch
        {
            AttrType.Int => v.Data is long l && InRange(a, l) ? Invariant(l) : null,
            AttrType.IntPair => Pair(a, v),
            AttrType.Float => v.Data is long or double && InRange(a, Convert.ToDouble(v.Data, CultureInfo.InvariantCulture))
                ? Convert.ToDouble(v.Data, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture) : null,
            AttrType.Bool => v.Data is bool b ? (b ? "true" : "false") : null,
            _ => v.Data is string s && a.Choices!.Contains(s) ? s : null,
        };
        if (text is null)
            diagnostics.Report(DiagnosticCatalog.BadValue, v.Location, $"Attribute '{a.Name}' of {op} takes {Describe(a)}, got {v.TypeName} '{v}'");
        return text;
    }

    private static string? Pair(AttrSpec a, Value v)
    {
        if (v.Data is long l)
            return InRange(a, l) ? Invariant(l) : null;
        if (v.Data is List<Value> list && list.Count == 2 && list.All(x => x.Data is long n && InRange(a, n)))
            return Invariant((long)list[0].Data) + "," + Invariant((long)list[1].Data);
        return null;
    }

    private static bool InRange(AttrSpec a, double x) => x >= a.Min && x <= a.Max;

    private static string Describe(AttrSpec a) => a.Type switch
    {
        AttrType.Int => $"an int in [{Format(a.Min)}, {Format(a.Max)}]",
        AttrType.IntPair => $"an int or [h, w] in [{Format(a.Min)}, {Format(a.Max)}]",
        AttrType.Float => $"a number in [{Format(a.Min)}, {Format(a.Max)}]",
        AttrType.Bool => "true or false",
        _ => "one of " + string.Join(", ", a.Choices!),
    };

    private static string Invariant(long l) => l.ToString(CultureInfo.InvariantCulture);

    private static string Format(double d) => double.IsInfinity(d) ? (d > 0 ? "inf" : "-inf") : d.ToString("R", CultureInfo.InvariantCulture);
}
