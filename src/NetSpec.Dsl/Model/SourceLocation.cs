namespace NetSpec.Dsl.Model;

/// <summary>Where a token sits in a spec file: 1-based line and column, length in characters.</summary>
public readonly record struct SourceLocation(string Path, int Line, int Column, int Length)
{
    public override string ToString() => $"{Path}({Line},{Column})";
}
