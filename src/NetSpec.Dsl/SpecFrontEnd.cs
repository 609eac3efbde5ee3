using System;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Expansion;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl;

/// <summary>
/// The front end of the NetSpec language: spec text → <see cref="ExpandedSpec"/> + diagnostics.
/// Pipeline: <see cref="SpecLoader"/> (YAML with positions, <c>extends</c> merged) → <see cref="SpecReader"/>
/// (declarations, structure checked) → <see cref="SpecAssembler"/> (blocks and stages expanded into ops,
/// values checked, groups assigned). Never throws: an unexpected failure is NS0015.
/// </summary>
public static class SpecFrontEnd
{
    /// <summary>
    /// Expands one spec. <paramref name="resolve"/> returns the text of another spec (for <c>extends</c>),
    /// given its path relative to this spec's folder, or null when absent. An <c>abstract: true</c> spec
    /// (shared blocks only) gives no spec and no diagnostics.
    /// </summary>
    public static FrontEndResult Expand(string path, string text, Func<string, string?> resolve)
    {
        var diagnostics = new DiagnosticBag();
        try
        {
            YMapping? root = SpecLoader.Load(path, text, resolve, diagnostics);
            if (root is null)
                return new FrontEndResult(null, diagnostics.ToArray());
            SpecDecl spec = SpecReader.Read(root, diagnostics);
            if (spec.Abstract || diagnostics.HasErrors)
                return new FrontEndResult(null, diagnostics.ToArray());
            ExpandedSpec? expanded = new SpecAssembler(spec, path, diagnostics).Assemble();
            return new FrontEndResult(diagnostics.HasErrors ? null : expanded, diagnostics.ToArray());
        }
        catch (Exception e)
        {
            diagnostics.Report(DiagnosticCatalog.Internal, new SourceLocation(path, 1, 1, 1), $"{e.GetType().Name}: {e.Message}");
            return new FrontEndResult(null, diagnostics.ToArray());
        }
    }
}

/// <summary>The expanded spec (null when there are errors, or for an abstract spec) and all diagnostics.</summary>
public sealed record FrontEndResult(ExpandedSpec? Spec, EquatableArray<SpecDiagnostic> Diagnostics);
