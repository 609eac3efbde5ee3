using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

/// <summary>Turns the declarations of a concrete spec into an <see cref="ExpandedSpec"/>.</summary>
internal sealed class SpecAssembler
{
    private readonly SpecDecl spec;
    private readonly string path;
    private readonly DiagnosticBag diagnostics;
    private readonly Expander expander;
    private readonly SourceLocation top;

    public SpecAssembler(SpecDecl spec, string path, DiagnosticBag diagnostics)
    {
        this.spec = spec;
        this.path = path;
        this.diagnostics = diagnostics;
        expander = new Expander(spec, diagnostics);
        top = new SourceLocation(path, 1, 1, 1);
    }

    private ValueChecks Values => expander.Values;

    public ExpandedSpec? Assemble()
    {
        var graph = new Scope("", "the graph");
        int classes = Classes();
        graph.Vars["classes"] = new Value((long)classes, spec.Classes?.Location ?? top);
        foreach (ParamDecl p in spec.Params)
            BindSpecParam(p, graph);
        List<SizeDefault> sizes = Sizes();
        List<InputDecl> inputs = new InputReader(Values, diagnostics).Read(spec.Inputs, sizes, graph, top);
        foreach (InputDecl i in inputs)
        {
            graph.Names[i.Name] = new Entry { State = EntryState.Input, Tensor = i.Name };
            graph.InputNames.Add(i.Name);
            expander.Tensors.Add(i.Name);
        }

        if (spec.Graph.Count == 0)
            diagnostics.Report(DiagnosticCatalog.Missing, top, "The spec has no graph: nodes (abstract: true marks a file of shared blocks)");
        expander.ExpandBody(spec.Graph, graph, true);
        List<LossDecl> losses = Losses(graph);
        LabelIgnore.Apply(expander.Nodes, inputs);
        List<OutputDecl> outputs = Outputs(graph);
        List<ParamGroupDecl> groups = new GroupAssigner(Values, diagnostics).Assign(spec.Groups, expander.Nodes, graph);
        if (!diagnostics.HasErrors)
            foreach (ParamDecl p in spec.Params.Where(p => !graph.Used.Contains(p.Name)))
                diagnostics.Report(DiagnosticCatalog.UnusedParameter, p.NameToken.Location, p.Name);
        string name = SpecName();
        if (diagnostics.HasErrors)
            return null;
        return new ExpandedSpec(name, spec.ClassName?.Value ?? PascalCase(name), path, classes,
            inputs.ToEquatableArray(), expander.Nodes.ToEquatableArray(), outputs.ToEquatableArray(),
            losses.ToEquatableArray(), groups.ToEquatableArray(), sizes.ToEquatableArray())
        {
            NameLocation = spec.Name?.Location ?? top,
            ClassNameLocation = spec.ClassName?.Location ?? spec.Name?.Location ?? top,
        };
    }

    /// <summary><c>name:</c>, else the file name without extension; NS0025 unless it follows <see cref="SpecNames"/>.</summary>
    private string SpecName()
    {
        string name = spec.Name?.Value ?? StripExtension(PathText.FileName(path));
        if (SpecNames.SpecNameProblem(name) is string problem)
            diagnostics.Report(DiagnosticCatalog.InvalidSpecName, spec.Name?.Location ?? top, MessageText.Quote(name),
                spec.Name is null ? " (from the file name)" : "", problem);
        return name;
    }

    private int Classes()
    {
        if (spec.Classes is null)
        {
            diagnostics.Report(DiagnosticCatalog.Missing, top, "The spec needs classes: K (the number of classes)");
            return 1;
        }

        return (int)(Values.Int(spec.Classes, new Scope("", "the spec"), "classes:", 1, 100_000) ?? 1);
    }

    private void BindSpecParam(ParamDecl p, Scope graph)
    {
        if (p.Default is null)
        {
            diagnostics.Report(DiagnosticCatalog.Missing, p.NameToken.Location, $"Spec parameter '{p.Name}' needs a default:");
            graph.Vars[p.Name] = Value.Poison;
            return;
        }

        graph.Vars[p.Name] = Values.Evaluate(p.Default, graph) is Value v && Values.Coerce(p, v) is Value typed ? typed : Value.Poison;
    }

    private List<SizeDefault> Sizes()
    {
        var list = new List<SizeDefault>();
        foreach (Arg a in spec.Sizes)
            if (Values.Int(a.Value, new Scope("", "sizes"), $"size {a.Key.Value}", 1, 1 << 20) is long n)
                list.Add(new SizeDefault(a.Key.Value, (int)n));
        return list;
    }

    private List<LossDecl> Losses(Scope graph)
    {
        var scope = new Scope("loss.", "the losses", graph);
        var valid = new List<NodeDecl>();
        foreach (NodeDecl d in spec.Losses)
        {
            if (d.Block is not null || (d.Op is not null && OpCatalog.Find(d.Op.Value) is OpSpec { IsLoss: false }))
                diagnostics.Report(DiagnosticCatalog.BadValue, (d.Op ?? d.Block)!.Location,
                    $"A loss uses a loss op ({string.Join(", ", OpCatalog.All.Where(o => o.IsLoss).Select(o => o.Name))})");
            else
                valid.Add(d);
        }

        expander.ExpandBody(valid, scope, false);
        var losses = new List<LossDecl>();
        foreach (NodeDecl d in valid)
        {
            double weight = d.Weight is null ? 1.0 : Values.Number(d.Weight, graph, "weight:", 0, 1e6) ?? 1.0;
            if (scope.Names.TryGetValue(d.Name, out Entry? e) && e.State == EntryState.Active)
                losses.Add(new LossDecl(d.Name, e.Tensor!, weight, d.NameToken.Location));
        }

        return losses;
    }

    private List<OutputDecl> Outputs(Scope graph)
    {
        if (spec.Outputs.Count == 0)
            diagnostics.Report(DiagnosticCatalog.Missing, top, "The spec needs outputs: (e.g. mask: head.mask)");
        var list = new List<OutputDecl>();
        foreach (KeyValuePair<YScalar, YScalar> o in spec.Outputs)
            if (expander.Resolve(o.Value.Value, o.Value.Location, graph, 0) is string t)
                list.Add(new OutputDecl(o.Key.Value, t, o.Value.Location));
        return list;
    }

    private static string StripExtension(string file)
    {
        int dot = file.LastIndexOf('.');
        return dot > 0 ? file.Substring(0, dot) : file;
    }

    /// <summary><c>sanet-r50</c> → <c>SanetR50</c>; a leading digit gets an underscore.</summary>
    public static string PascalCase(string name)
    {
        var sb = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (sb.Length == 0 || char.IsDigit(sb[0]))
            sb.Insert(0, '_');
        return sb.ToString();
    }
}
