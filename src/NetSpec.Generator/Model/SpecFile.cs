namespace NetSpec.Generator.Model;

/// <summary>One spec file as the compiler handed it over: path and text.</summary>
internal sealed record SpecFile(string Path, string Text);
