using NetSpec.Dsl;
using NetSpec.Dsl.Model;

namespace NetSpec.Generator.Model;

/// <summary>A spec's diagnostic with its character span in the file it points into.</summary>
internal sealed record LocatedDiagnostic(SpecDiagnostic Diagnostic, int Start, int Length);

/// <summary>What one spec becomes: the compiled network (null on errors or for an abstract spec) and its diagnostics.</summary>
internal sealed record SpecOutput(string Path, CompiledNetwork? Network, EquatableArray<LocatedDiagnostic> Diagnostics);
