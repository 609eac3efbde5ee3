using NetSpec.Dsl;
using NetSpec.Dsl.Model;

namespace NetSpec.Generator.Model;

/// <summary>A spec's diagnostic with its character span in the file it points into.</summary>
internal sealed record LocatedDiagnostic(SpecDiagnostic Diagnostic, int Start, int Length);

/// <summary>
/// What one spec becomes: the compiled network (null on errors or for an abstract spec), its diagnostics, and, when
/// it has a network, the names that must be unique among all specs.
/// </summary>
internal sealed record SpecOutput(string Path, CompiledNetwork? Network, EquatableArray<LocatedDiagnostic> Diagnostics, SpecIdentity? Identity = null);

/// <summary>
/// A generated spec's name and class, each with where it is written (<c>name:</c>, <c>class:</c>, else the file's
/// start) as a diagnostic would point at it: two specs of one compilation may share neither (NS0026).
/// </summary>
internal sealed record SpecIdentity(string Path, string Name, string ClassName, LocatedDiagnostic NameAt, LocatedDiagnostic ClassAt);
