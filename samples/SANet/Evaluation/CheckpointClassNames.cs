using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// The class names that <c>train</c> writes into each checkpoint's metadata (<c>class_names</c>, a JSON list of
/// strings, CheckpointStore). The metadata comes from a file: a value that is not a JSON list of strings is refused
/// when it is read (CheckpointMetadata); one that is not one name per class, or holds an empty or repeated name, here.
/// One rule for eval (its table and JSON) and predict (its legend): such a list means the checkpoint is not what it
/// claims, so both stop with one line naming the file and the way around it (--class-names), rather than label
/// classes with names that may be shifted or wrong; a checkpoint without names falls back to the dataset's (eval) or
/// the usual lists (predict).
/// </summary>
public static class CheckpointClassNames
{
    public const string Key = "class_names";

    /// <summary>The names, or null when the checkpoint has none (written before names were recorded, or by another tool).</summary>
    public static IReadOnlyList<string>? Read(CheckpointMetadata metadata, string path, int numClasses)
    {
        if (metadata.ClassNames is not { } names)
            return null;
        if (names.Count != numClasses || names.Any(string.IsNullOrWhiteSpace) || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new CheckpointException(
                $"{path}: its metadata's {Key} is not a list of {numClasses} distinct non-empty names; pass --class-names FILE to name the classes");
        }

        return names;
    }
}
