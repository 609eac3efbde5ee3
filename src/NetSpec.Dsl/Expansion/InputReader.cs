using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

/// <summary>
/// Reads <c>inputs:</c>: <c>image: { shape: [N, 3, H, W] }</c>, <c>label: { shape: [N, H, W], kind: label,
/// ignore: 255 }</c>. Symbolic sizes need a default in <c>sizes:</c>.
/// </summary>
internal sealed class InputReader
{
    private readonly ValueChecks values;
    private readonly DiagnosticBag diagnostics;

    public InputReader(ValueChecks values, DiagnosticBag diagnostics)
    {
        this.values = values;
        this.diagnostics = diagnostics;
    }

    public List<InputDecl> Read(List<InputSpec> specs, List<SizeDefault> sizes, Scope scope, SourceLocation top)
    {
        var list = new List<InputDecl>();
        foreach (InputSpec s in specs)
        {
            InputKind kind = InputKind.Image;
            if (s.Kind is not null)
            {
                if (s.Kind.Value == "label")
                    kind = InputKind.Label;
                else if (s.Kind.Value != "image")
                    diagnostics.Report(DiagnosticCatalog.BadValue, s.Kind.Location, $"Input kind is image or label, got '{s.Kind.Value}'");
            }

            List<string>? dims = Dims(s, kind, sizes);
            int ignore = -1;
            if (s.Ignore is not null)
            {
                if (kind != InputKind.Label)
                    diagnostics.Report(DiagnosticCatalog.Structure, s.Ignore.Location, "ignore: belongs to label inputs (kind: label)");
                else
                    ignore = (int)(values.Int(s.Ignore, scope, "ignore:", -1, 65535) ?? -1);
            }
            else if (kind == InputKind.Label)
            {
                ignore = 255;
            }

            if (dims is not null)
                list.Add(new InputDecl(s.Name.Value, kind, dims.ToEquatableArray(), ignore, s.Name.Location));
        }

        if (specs.Count == 0)
            diagnostics.Report(DiagnosticCatalog.Missing, top, "The spec needs inputs:");
        return list;
    }

    private List<string>? Dims(InputSpec s, InputKind kind, List<SizeDefault> sizes)
    {
        int rank = kind == InputKind.Image ? 4 : 3;
        if (s.Shape!.Items.Count != rank)
        {
            diagnostics.Report(DiagnosticCatalog.BadValue, s.Shape.Location,
                $"An {(kind == InputKind.Image ? "image input has 4 dims [N, C, H, W]" : "label input has 3 dims [N, H, W]")}, got {s.Shape.Items.Count}");
            return null;
        }

        var dims = new List<string>();
        foreach (YNode item in s.Shape.Items)
        {
            if (item is not YScalar d || d.IsNull)
            {
                diagnostics.Report(DiagnosticCatalog.BadValue, item.Location, "A size is a symbol (N, H, W) or a positive int");
                return null;
            }

            Value v = Value.FromLiteral(d);
            bool ok = v.Data is long n ? n >= 1 && n <= 1 << 20
                : v.Data is "N" or "H" or "W"; // the generated code binds these three (Prepare(batch, height, width))
            if (!ok)
            {
                diagnostics.Report(DiagnosticCatalog.BadValue, d.Location, $"A size is a symbol (N, H, W) or an int in [1, 1048576], got '{d.Value}'");
                return null;
            }

            if (v.Data is string symbol && !sizes.Any(z => z.Symbol == symbol))
            {
                diagnostics.Report(DiagnosticCatalog.Missing, d.Location, $"Size '{symbol}' needs a default in sizes: (e.g. sizes: {{ {symbol}: 8 }})");
                return null;
            }

            dims.Add(v.ToString());
        }

        return dims;
    }
}
