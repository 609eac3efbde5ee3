using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

internal sealed partial class Expander
{
    private Instance? ExpandBlock(NodeDecl d, YScalar blockToken, string fullName, List<string> inputs, List<Arg> args, Scope scope, bool trainOnly)
    {
        if (!spec.Blocks.TryGetValue(blockToken.Value, out BlockDecl? block))
        {
            diagnostics.Report(DiagnosticCatalog.UnknownBlock, blockToken.Location, blockToken.Value,
                string.Join(", ", spec.Blocks.Keys.DefaultIfEmpty("(none)")), Suggestion.For(blockToken.Value, spec.Blocks.Keys));
            return null;
        }

        if (blockStack.Contains(block.Name))
        {
            diagnostics.Report(DiagnosticCatalog.Recursion, blockToken.Location,
                $"Block '{block.Name}' uses itself: {string.Join(" -> ", blockStack.Concat(new[] { block.Name }))}");
            return null;
        }

        if (inputs.Count != block.Inputs.Count)
        {
            diagnostics.Report(DiagnosticCatalog.InputCount, InputsLocation(d), $"{fullName} (block {block.Name}: {string.Join(", ", block.Inputs.Select(i => i.Value))})",
                block.Inputs.Count, inputs.Count);
            return null;
        }

        var inner = new Scope(fullName + ".", $"block '{block.Name}'") { TrainOnly = trainOnly };
        if (!BindParams(d, block, args, scope, inner))
            return null;
        for (int i = 0; i < inputs.Count; i++)
        {
            inner.Names[block.Inputs[i].Value] = new Entry { State = EntryState.Input, Tensor = inputs[i] };
            inner.InputNames.Add(block.Inputs[i].Value);
        }

        blockStack.Add(block.Name);
        ExpandBody(block.Nodes, inner, true);
        blockStack.RemoveAt(blockStack.Count - 1);
        return BlockOutputs(block, inner);
    }

    private bool BindParams(NodeDecl d, BlockDecl block, List<Arg> args, Scope caller, Scope inner)
    {
        bool ok = true, misspelt = false;
        foreach (Arg a in args)
        {
            if (!block.Params.Any(p => p.Name == a.Key.Value))
            {
                diagnostics.Report(DiagnosticCatalog.UnknownArgument, a.Key.Location, a.Key.Value, $"a parameter of block {block.Name}",
                    string.Join(", ", block.Params.Select(p => p.Name).DefaultIfEmpty("(none)")), Suggestion.For(a.Key.Value, block.Params.Select(p => p.Name)));
                ok = false;
                misspelt = true;
            }
        }

        foreach (ParamDecl p in block.Params)
        {
            Arg? given = args.Where(a => a.Key.Value == p.Name).Select(a => (Arg?)a).FirstOrDefault();
            YNode? source = given?.Value ?? p.Default;
            if (source is null)
            {
                inner.Vars[p.Name] = Value.Poison;
                if (misspelt)
                    continue;
                diagnostics.Report(DiagnosticCatalog.Missing, d.NameToken.Location, $"Block {block.Name} needs parameter '{p.Name}' ({p.Describe()})");
                ok = false;
                continue;
            }

            Value? v = values.Evaluate(source, given is null ? inner : caller);
            Value? typed = v is null ? null : values.Coerce(p, v);
            inner.Vars[p.Name] = typed ?? Value.Poison;
            ok &= typed is not null;
        }

        return ok;
    }

    private Instance? BlockOutputs(BlockDecl block, Scope inner)
    {
        var outputs = new Dictionary<string, string>();
        string? first = null;
        foreach (KeyValuePair<YScalar, YScalar> o in block.Outputs)
        {
            string? t = Resolve(o.Value.Value, o.Value.Location, inner, 0);
            if (t is null)
                return null;
            outputs[o.Key.Value] = t;
            first ??= t;
        }

        if (first is null && block.Nodes.Count > 0)
        {
            NodeDecl last = block.Nodes[block.Nodes.Count - 1];
            first = Resolve(last.Name, last.NameToken.Location, inner, 0);
            if (first is null)
                return null;
        }

        return new Instance(first ?? (inner.InputNames.Count > 0 ? inner.Names[inner.InputNames[0]].Tensor : null), outputs);
    }
}
