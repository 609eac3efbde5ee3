using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Diagnostics;

/// <summary>Collects diagnostics once each (a block expanded twice reports its error once).</summary>
internal sealed class DiagnosticBag
{
    private readonly List<SpecDiagnostic> items = new();
    private readonly HashSet<SpecDiagnostic> seen = new();

    public bool HasErrors => items.Any(d => d.Severity == Severity.Error);

    public void Report(DiagnosticDescriptor rule, SourceLocation at, params object[] args)
    {
        SpecDiagnostic d = rule.At(at, args);
        if (seen.Add(d))
            items.Add(d);
    }

    public EquatableArray<SpecDiagnostic> ToArray() => items.ToEquatableArray();
}
