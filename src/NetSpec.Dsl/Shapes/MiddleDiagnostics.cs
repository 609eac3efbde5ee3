using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>The middle's diagnostics: their ids come from the catalogue (NS0011–NS0015, NS0028), the one list of rules.</summary>
public static class MiddleDiagnostics
{
    public static readonly string Cycle = DiagnosticCatalog.GraphCycle.Id;
    public static readonly string ShapeMismatch = DiagnosticCatalog.ShapeMismatch.Id;
    public static readonly string UnusedTensor = DiagnosticCatalog.UnusedTensor.Id;
    public static readonly string InvalidConfiguration = DiagnosticCatalog.InvalidOpConfig.Id;
    public static readonly string InternalError = DiagnosticCatalog.Internal.Id;
    public static readonly string TooLarge = DiagnosticCatalog.TooLarge.Id;

    public static SpecDiagnostic Error(string id, string message, SourceLocation at) => new(id, Severity.Error, message, at);

    public static SpecDiagnostic Warning(string id, string message, SourceLocation at) => new(id, Severity.Warning, message, at);
}
