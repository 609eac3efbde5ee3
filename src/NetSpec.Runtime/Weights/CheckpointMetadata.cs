using System.Globalization;
using System.Text.Json;

namespace NetSpec.Runtime.Weights;

/// <summary>
/// What a checkpoint records beside its tensors, typed; stored as the safetensors <c>__metadata__</c> string map
/// (keys <c>spec</c>, <c>layout_sha256</c>, <c>class_names</c> as a JSON array, <c>crop</c>, <c>format</c> = <c>pt</c>).
/// Keys it does not know are kept in <see cref="Extra"/>, so a reader loses nothing another writer recorded.
/// </summary>
/// <param name="SpecName">The spec the weights belong to, e.g. <c>sanet-tiny</c>.</param>
/// <param name="LayoutHash">
/// SHA-256 (hex) of the network's parameter layout, <see cref="NetworkWeights.LayoutHash"/>: the part of a spec
/// that decides whether weights fit it. Two specs that differ only in things without weights hash alike.
/// </param>
/// <param name="ClassNames">The classes in id order, when known.</param>
/// <param name="TrainingCrop">The square crop the network was trained on, in pixels: a natural prediction window.</param>
/// <param name="Extra">Other string entries, written and read unchanged.</param>
public sealed record CheckpointMetadata(
    string? SpecName = null,
    string? LayoutHash = null,
    IReadOnlyList<string>? ClassNames = null,
    int? TrainingCrop = null,
    IReadOnlyDictionary<string, string>? Extra = null)
{
    private const string SpecKey = "spec", HashKey = "layout_sha256", ClassesKey = "class_names", CropKey = "crop", FormatKey = "format";

    /// <summary>The string map written into the file.</summary>
    public Dictionary<string, string> ToDictionary()
    {
        var map = new Dictionary<string, string>(Extra ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        map.TryAdd(FormatKey, "pt");
        if (SpecName is not null)
            map[SpecKey] = SpecName;
        if (LayoutHash is not null)
            map[HashKey] = LayoutHash;
        if (ClassNames is not null)
            map[ClassesKey] = JsonSerializer.Serialize(ClassNames);
        if (TrainingCrop is int crop)
            map[CropKey] = crop.ToString(CultureInfo.InvariantCulture);
        return map;
    }

    /// <summary>Reads the typed fields from a file's string map (untrusted: a malformed field is an error naming <paramref name="path"/>).</summary>
    public static CheckpointMetadata FromDictionary(IReadOnlyDictionary<string, string> map, string path)
    {
        IReadOnlyList<string>? classes = null;
        if (map.TryGetValue(ClassesKey, out string? json))
        {
            try
            {
                classes = JsonSerializer.Deserialize<string[]>(json);
            }
            catch (JsonException)
            {
                // reported below
            }

            if (classes is null || classes.Any(c => c is null))
                throw new CheckpointException($"{path}: metadata '{ClassesKey}' is not a JSON array of strings");
        }

        int? crop = null;
        if (map.TryGetValue(CropKey, out string? cropText))
        {
            crop = int.TryParse(cropText, NumberStyles.None, CultureInfo.InvariantCulture, out int c) && c > 0
                ? c : throw new CheckpointException($"{path}: metadata '{CropKey}' is '{cropText}', not a positive integer");
        }

        var extra = map.Where(kv => kv.Key is not (SpecKey or HashKey or ClassesKey or CropKey))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new CheckpointMetadata(map.GetValueOrDefault(SpecKey), map.GetValueOrDefault(HashKey), classes, crop, extra);
    }
}
