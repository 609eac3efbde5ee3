namespace NetSpec.Dsl.Model;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>
/// One numbered NetSpec diagnostic (NS0001…), shown by the build as
/// <c>specs/x.yaml(line,col): error NS0007: message</c>. The catalogue is <c>Diagnostics.DiagnosticCatalog</c>.
/// The message is always one line (<see cref="MessageText.OneLine"/>), whatever spec strings it quotes.
/// </summary>
public sealed record SpecDiagnostic(string Id, Severity Severity, string Message, SourceLocation Location)
{
    public string Message { get; } = MessageText.OneLine(Message);

    public override string ToString() =>
        $"{Location}: {(Severity == Severity.Error ? "error" : "warning")} {Id}: {Message}";
}
