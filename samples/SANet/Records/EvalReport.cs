using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Evaluation;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// <c>eval --json</c>'s document (samples/SANet/README.md, "eval --json"): the scores, per-class IoU keyed by class
/// name, what was evaluated (checkpoint, spec, dataset, options, device) and how long it took.
/// </summary>
public static class EvalReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Inputs(
        string Checkpoint, CheckpointMetadata Metadata, string Spec, string DatasetKind, string? DataRoot,
        string DatasetDescription, int Images, string Device, EvalOptions Options, string Output, string ClassNamesFrom);

    public static string Json(Inputs run, SegmentationMetrics metrics, IReadOnlyList<string> classNames, bool context, TimeSpan load, TimeSpan eval)
    {
        var document = new JsonObject
        {
            ["pixAcc"] = RunLogLines.Number(metrics.PixelAccuracy),
            ["mIoU"] = RunLogLines.Number(metrics.MeanIou),
        };
        if (context)
            document["mIoU60"] = RunLogLines.Number(metrics.MeanIou60);
        document["class_iou"] = RunLogLines.ClassIou(metrics, classNames);
        document["class_names_from"] = run.ClassNamesFrom;
        document["checkpoint"] = new JsonObject
        {
            ["path"] = Path.GetFullPath(run.Checkpoint),
            ["spec"] = run.Metadata.SpecName,
            ["iteration"] = long.TryParse(run.Metadata.Extra?.GetValueOrDefault("iteration"), NumberStyles.None, CultureInfo.InvariantCulture, out long it) ? it : null,
        };
        document["spec"] = run.Spec;
        document["dataset"] = new JsonObject
        {
            ["kind"] = run.DatasetKind,
            ["root"] = run.DataRoot is null ? null : Path.GetFullPath(run.DataRoot),
            ["description"] = run.DatasetDescription,
            ["images"] = run.Images,
        };
        document["device"] = run.Device;
        document["options"] = new JsonObject
        {
            ["window"] = run.Options.Window,
            ["stride"] = run.Options.Stride,
            ["scales"] = new JsonArray(run.Options.Scales.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["flip"] = run.Options.Flip,
            ["output"] = run.Output,
        };
        document["timings"] = new JsonObject
        {
            ["load_seconds"] = Math.Round(load.TotalSeconds, 6),
            ["eval_seconds"] = Math.Round(eval.TotalSeconds, 6),
            ["seconds_per_image"] = Math.Round(eval.TotalSeconds / Math.Max(1, run.Images), 6),
        };
        return document.ToJsonString(Indented) + "\n";
    }
}
