using System.Globalization;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Diagnostics;

/// <summary>One rule of the catalogue: a fixed id, severity, title, message format and a short example.</summary>
public sealed record DiagnosticDescriptor(string Id, Severity Severity, string Title, string MessageFormat, string Example)
{
    public SpecDiagnostic At(SourceLocation location, params object[] args) =>
        new(Id, Severity, string.Format(CultureInfo.InvariantCulture, MessageFormat, args), location);
}
