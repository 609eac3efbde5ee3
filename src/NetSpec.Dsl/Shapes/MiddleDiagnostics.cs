using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>The middle's diagnostics; IDs are those of the front end's catalogue (NS0011–NS0015).</summary>
public static class MiddleDiagnostics
{
    public const string Cycle = "NS0011";
    public const string ShapeMismatch = "NS0012";
    public const string UnusedTensor = "NS0013";
    public const string InvalidConfiguration = "NS0014";
    public const string InternalError = "NS0015";
    public const string TooLarge = "NS0028";

    public static SpecDiagnostic Error(string id, string message, SourceLocation at) => new(id, Severity.Error, message, at);

    public static SpecDiagnostic Warning(string id, string message, SourceLocation at) => new(id, Severity.Warning, message, at);
}
