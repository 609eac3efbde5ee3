using System.Globalization;
using System.Text.Json.Nodes;
using NetSpec.Runtime;
using NetSpec.Samples.SANet.Evaluation;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// The two kinds of <c>run.jsonl</c> line (samples/SANet/README.md, "The work dir"). Numbers are written as the
/// shortest text that reads back to the same double; a non-finite value (a loss that diverged) as null.
/// </summary>
public static class RunLogLines
{
    /// <summary>Class names and descriptions as their characters (×, é), not \u escapes; still one valid JSON line.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A logged training iteration: the lr it ran at, each loss term by name and their weighted total, the wall
    /// seconds per iteration since the previous logged one (validation excluded, checkpoints included), and memory:
    /// the managed heap, the process's working set and the device bytes the network's plan reserves.
    /// </summary>
    public static JsonObject Train(long iteration, long maxIterations, double lr, LossValues losses, double secondsPerIteration, long plannedDeviceBytes) => new()
    {
        ["type"] = "train",
        ["iteration"] = iteration,
        ["max_iterations"] = maxIterations,
        ["lr"] = Number(lr),
        ["loss"] = new JsonObject(losses.Terms.Select(t => KeyValuePair.Create(t.Key, Number(t.Value)))),
        ["total"] = Number(losses.Total),
        ["seconds_per_iteration"] = Number(Math.Round(secondsPerIteration, 6)),
        ["managed_heap_bytes"] = GC.GetTotalMemory(forceFullCollection: false),
        ["working_set_bytes"] = Environment.WorkingSet,
        ["device_planned_bytes"] = plannedDeviceBytes,
        ["time"] = Now(),
    };

    /// <summary>A validation: pixAcc, mIoU (and mIoU60 on Context), IoU per class keyed by class name, its duration.</summary>
    public static JsonObject Validation(long iteration, SegmentationMetrics metrics, IReadOnlyList<string> classNames, bool context, int images, double seconds)
    {
        var line = new JsonObject
        {
            ["type"] = "val",
            ["iteration"] = iteration,
            ["pixAcc"] = Number(metrics.PixelAccuracy),
            ["mIoU"] = Number(metrics.MeanIou),
        };
        if (context)
            line["mIoU60"] = Number(metrics.MeanIou60);
        line["class_iou"] = ClassIou(metrics, classNames);
        line["images"] = images;
        line["seconds"] = Number(Math.Round(seconds, 6));
        line["time"] = Now();
        return line;
    }

    /// <summary>IoU per class, keyed by name (names are unique: ClassNamesFile checks it).</summary>
    public static JsonObject ClassIou(SegmentationMetrics metrics, IReadOnlyList<string> classNames)
    {
        var iou = new JsonObject();
        for (int k = 0; k < metrics.ClassIou.Count; k++)
            iou[k < classNames.Count ? classNames[k] : $"class{k}"] = Number(metrics.ClassIou[k]);
        return iou;
    }

    public static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    /// <summary>A float (a loss as the network computed it) as its own shortest text, not its double's.</summary>
    public static JsonNode? Number(float value) => float.IsFinite(value) ? JsonValue.Create(value) : null;

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
