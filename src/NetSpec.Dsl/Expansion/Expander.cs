using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

/// <summary>
/// Expands node entries into primitive ops, in the order written: a block instance becomes its nodes
/// under the instance's name (<c>backbone.layer1.0.conv1</c>), <c>repeat: n</c> makes instances
/// <c>name.0 … name.n-1</c> chained one after the other, <c>when: false</c> skips an entry (its
/// <c>otherwise:</c> then stands for it). References must point backwards, so the output order is a
/// topological order.
/// </summary>
internal sealed partial class Expander
{
    public const int MaxNodes = 100_000;
    private const int MaxRepeat = 512;

    private readonly SpecDecl spec;
    private readonly DiagnosticBag diagnostics;
    private readonly ValueChecks values;
    private readonly List<string> blockStack = new();
    private bool tooLarge;

    public Expander(SpecDecl spec, DiagnosticBag diagnostics)
    {
        this.spec = spec;
        this.diagnostics = diagnostics;
        values = new ValueChecks(diagnostics);
    }

    public List<OpNode> Nodes { get; } = new();

    public HashSet<string> Tensors { get; } = new();

    public ValueChecks Values => values;

    /// <summary>Expands entries in order; <paramref name="chain"/> says whether an entry without in: reads the previous one.</summary>
    public void ExpandBody(IReadOnlyList<NodeDecl> decls, Scope scope, bool chain)
    {
        foreach (NodeDecl d in decls)
        {
            if (scope.Names.ContainsKey(d.Name))
                diagnostics.Report(DiagnosticCatalog.Duplicate, d.NameToken.Location, d.Name, $" (already an input of {scope.Description})");
            else
                scope.Names[d.Name] = new Entry { State = EntryState.Pending };
        }

        string? previous = chain ? scope.InputNames.FirstOrDefault() : null;
        foreach (NodeDecl d in decls)
        {
            if (scope.Names.TryGetValue(d.Name, out Entry? entry) && entry.State == EntryState.Pending)
                ExpandEntry(d, entry, scope, previous, scope.TrainOnly);
            if (chain)
                previous = d.Name;
        }
    }

    private void ExpandEntry(NodeDecl d, Entry entry, Scope scope, string? previous, bool trainOnly)
    {
        entry.State = EntryState.Failed;
        if (tooLarge)
            return;
        if (d.When is not null)
        {
            bool? on = values.Bool(d.When, scope, "when:");
            if (on is null)
                return;
            if (on == false)
            {
                entry.State = EntryState.Skipped;
                entry.Otherwise = d.Otherwise;
                return;
            }
        }

        if (d.TrainOnly is not null)
        {
            bool? t = values.Bool(d.TrainOnly, scope, "train_only:");
            if (t is null)
                return;
            trainOnly |= t.Value;
        }

        List<string>? inputs = ResolveInputs(d, scope, previous);
        if (inputs is null)
            return;
        Instance? result = d.Repeat is null
            ? ExpandInstance(d, scope.Prefix + d.Name, inputs, d.Args, scope, trainOnly)
            : ExpandRepeat(d, inputs, scope, trainOnly);
        if (result is null)
            return;
        entry.State = EntryState.Active;
        entry.Tensor = result.Tensor;
        entry.Outputs = result.Outputs;
    }

    private Instance? ExpandRepeat(NodeDecl d, List<string> inputs, Scope scope, bool trainOnly)
    {
        long? count = values.Int(d.Repeat!, scope, "repeat:", 1, MaxRepeat);
        if (count is null)
            return null;
        var firstArgs = d.Args.Where(a => !d.First.Any(f => f.Key.Value == a.Key.Value)).Concat(d.First).ToList();
        Instance? last = null;
        for (int i = 0; i < count && !tooLarge; i++)
        {
            List<string> ins = i == 0 ? inputs : new[] { last!.Tensor! }.Concat(inputs.Skip(1)).ToList();
            last = ExpandInstance(d, $"{scope.Prefix}{d.Name}.{i}", ins, i == 0 ? firstArgs : d.Args, scope, trainOnly);
            if (last?.Tensor is null)
                return null;
        }

        return last;
    }

    private List<string>? ResolveInputs(NodeDecl d, Scope scope, string? previous)
    {
        List<YScalar> refs = d.Inputs ?? (previous is null
            ? new List<YScalar>()
            : new List<YScalar> { new(previous, false, d.NameToken.Location) });
        var tensors = new List<string>();
        foreach (YScalar r in refs)
        {
            string? t = Resolve(r.Value, r.Location, scope, 0);
            if (t is null)
                return null;
            tensors.Add(t);
        }

        return tensors;
    }

    private Instance? ExpandInstance(NodeDecl d, string fullName, List<string> inputs, List<Arg> args, Scope scope, bool trainOnly)
    {
        if (Nodes.Count > MaxNodes)
        {
            tooLarge = true;
            diagnostics.Report(DiagnosticCatalog.Recursion, d.NameToken.Location, $"The spec expands to more than {MaxNodes} nodes");
            return null;
        }

        return d.Op is not null
            ? ExpandOp(d, d.Op, fullName, inputs, args, scope, trainOnly)
            : ExpandBlock(d, d.Block!, fullName, inputs, args, scope, trainOnly);
    }
}

/// <summary>What a node entry stands for once expanded: its default tensor and named outputs.</summary>
internal sealed record Instance(string? Tensor, Dictionary<string, string> Outputs);
