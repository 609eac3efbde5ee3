using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

internal sealed partial class Expander
{
    private Instance? ExpandOp(NodeDecl d, YScalar opToken, string fullName, List<string> inputs, List<Arg> args, Scope scope, bool trainOnly)
    {
        OpRule? rule = OpCatalog.FindRule(opToken.Value);
        if (rule is null)
        {
            diagnostics.Report(DiagnosticCatalog.UnknownOp, opToken.Location, opToken.Value, string.Join(", ", OpCatalog.All.Select(o => o.Name)),
                Suggestion.For(opToken.Value, OpCatalog.All.Select(o => o.Name)));
            return null;
        }

        OpSpec op = rule.Spec;
        if (inputs.Count < op.MinInputs || inputs.Count > op.MaxInputs)
        {
            string expected = op.MinInputs == op.MaxInputs ? $"{op.MinInputs}" : $"{op.MinInputs} to {op.MaxInputs}";
            diagnostics.Report(DiagnosticCatalog.InputCount, InputsLocation(d), $"{fullName} ({op.Name})", expected, inputs.Count);
            return null;
        }

        var attrs = new List<Attr>();
        bool ok = true;
        foreach (Arg a in args)
        {
            AttrSpec? spec = op.Attrs.FirstOrDefault(s => s.Name == a.Key.Value);
            if (spec is null)
            {
                diagnostics.Report(DiagnosticCatalog.UnknownArgument, a.Key.Location, a.Key.Value, $"an attribute of {op.Name}",
                    string.Join(", ", op.Attrs.Select(s => s.Name).DefaultIfEmpty("(none)")), Suggestion.For(a.Key.Value, op.Attrs.Select(s => s.Name)));
                ok = false;
                continue;
            }

            Value? v = values.Evaluate(a.Value, scope);
            string? text = v is null ? null : values.Attribute(spec, v, op.Name);
            if (text is null)
                ok = false;
            else
                attrs.Add(new Attr(spec.Name, text, v!.Location));
        }

        bool misspelt = args.Any(a => !op.Attrs.Any(s => s.Name == a.Key.Value));
        foreach (AttrSpec required in op.Attrs.Where(s => s.Required))
        {
            if (!misspelt && !args.Any(a => a.Key.Value == required.Name))
            {
                diagnostics.Report(DiagnosticCatalog.Missing, d.NameToken.Location, $"{op.Name} '{fullName}' needs {required.Name}:");
                ok = false;
            }
        }

        if (!ok || !AddTensor(fullName, d.NameToken))
            return null;
        EquatableArray<Attr> written = attrs.ToEquatableArray();
        Nodes.Add(new OpNode(fullName, op.Name, inputs.ToEquatableArray(), fullName, written, rule.Bind(written), trainOnly, "", d.NameToken.Location));
        return new Instance(fullName, new Dictionary<string, string>());
    }

    private bool AddTensor(string name, YScalar at)
    {
        if (Tensors.Add(name))
            return true;
        diagnostics.Report(DiagnosticCatalog.Duplicate, at.Location, name, " (two nodes expand to this name)");
        return false;
    }

    private static SourceLocation InputsLocation(NodeDecl d) =>
        d.Inputs is { Count: > 0 } ins ? ins[0].Location : d.NameToken.Location;
}
