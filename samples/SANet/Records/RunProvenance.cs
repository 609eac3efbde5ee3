namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// What the run's record needs beyond the recipe, resolved by the CLI: the command line as typed, the dataset's root,
/// where the class names came from, and the spec file's hash and class count.
/// </summary>
public sealed record RunProvenance(IReadOnlyList<string> CommandLine, string? DataRoot, string ClassNamesFrom, string SpecSha256, int SpecClasses);
