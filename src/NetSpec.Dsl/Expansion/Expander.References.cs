using System.Linq;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Expansion;

internal sealed partial class Expander
{
    private const int MaxOtherwiseChain = 32;

    /// <summary>
    /// The tensor a reference names: <c>x</c> (an input or a node's default output), <c>backbone.c4</c>
    /// (a named output of a block instance); in the graph also any full tensor name. Null after reporting.
    /// </summary>
    public string? Resolve(string reference, SourceLocation at, Scope scope, int depth)
    {
        int dot = reference.IndexOf('.');
        string head = dot < 0 ? reference : reference.Substring(0, dot);
        string? tail = dot < 0 ? null : reference.Substring(dot + 1);
        Entry? e = scope.Find(head);
        if (e is null)
        {
            if (scope.IsGraph && Tensors.Contains(reference))
                return reference;
            diagnostics.Report(DiagnosticCatalog.UnknownTensor, at, reference, $"Known in {scope.Description}: {string.Join(", ", scope.AllNames().DefaultIfEmpty("(none)"))}",
                Suggestion.For(reference, scope.AllNames()));
            return null;
        }

        switch (e.State)
        {
            case EntryState.Pending:
                diagnostics.Report(DiagnosticCatalog.ForwardReference, at, head);
                return null;
            case EntryState.Failed:
                return null;
            case EntryState.Skipped when e.Otherwise is null:
                diagnostics.Report(DiagnosticCatalog.DisabledReference, at, head);
                return null;
            case EntryState.Skipped:
                if (depth >= MaxOtherwiseChain)
                {
                    diagnostics.Report(DiagnosticCatalog.Recursion, at, $"otherwise: chain from '{head}' does not end");
                    return null;
                }

                return Resolve(e.Otherwise!.Value + (tail is null ? "" : "." + tail), e.Otherwise.Location, scope, depth + 1);
        }

        if (tail is null)
            return e.Tensor ?? Unknown(reference, at, "it has no default output");
        if (e.Outputs.TryGetValue(tail, out string? t))
            return t;
        if (scope.IsGraph && Tensors.Contains(reference))
            return reference;
        return Unknown(reference, at, e.Outputs.Count == 0
            ? $"'{head}' has no named outputs"
            : $"Outputs of '{head}': {string.Join(", ", e.Outputs.Keys)}", Suggestion.For(tail, e.Outputs.Keys));
    }

    private string? Unknown(string reference, SourceLocation at, string why, string hint = "")
    {
        diagnostics.Report(DiagnosticCatalog.UnknownTensor, at, reference, why, hint);
        return null;
    }
}
