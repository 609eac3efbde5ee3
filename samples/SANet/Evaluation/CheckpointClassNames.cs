using System.Text.Json;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// The class names that <c>train</c> writes into each checkpoint's metadata (<c>class_names</c>, a JSON list of
/// strings, CheckpointStore). The metadata comes from a file: a list that is not one name per class, or holds an
/// empty or repeated name, is refused naming the file.
/// </summary>
public static class CheckpointClassNames
{
    public const string Key = "class_names";

    /// <summary>The names, or null when the checkpoint has none (written before names were recorded, or by another tool).</summary>
    public static string[]? Read(IReadOnlyDictionary<string, string> metadata, string path, int numClasses)
    {
        if (!metadata.TryGetValue(Key, out string? json))
            return null;
        string[]? names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException)
        {
            names = null;
        }

        if (names is null || names.Length != numClasses || names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new CheckpointException(
                $"{path}: its metadata's {Key} is not a list of {numClasses} distinct non-empty names; pass --class-names FILE to name the classes");
        }

        return names;
    }
}
