namespace NetSpec.Generator;

/// <summary>Tracking names of the pipeline's steps, so tests can assert what stayed cached.</summary>
public static class StepNames
{
    public const string ReadSpecs = nameof(ReadSpecs);
    public const string CompileSpec = nameof(CompileSpec);
    public const string CheckUnique = nameof(CheckUnique);
}
