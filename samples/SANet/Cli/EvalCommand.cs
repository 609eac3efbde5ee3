using System.ComponentModel;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Records;
using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class EvalSettings : DataSettings, IWindowSettings
{
    [CommandOption("--checkpoint <FILE>")]
    [Description("Weights (.safetensors) written by train (last or best).")]
    public string Checkpoint { get; init; } = "";

    [CommandOption("--multi-scale")]
    [Description(WindowSettings.MultiScaleHelp)]
    public bool MultiScale { get; init; }

    [CommandOption("--flip")]
    [Description(WindowSettings.FlipHelp)]
    public bool Flip { get; init; }

    [CommandOption("--window <N>")]
    [Description("Sliding window size (default: 96 built-in, 480 on disk)" + WindowSettings.WindowStride)]
    public int? Window { get; init; }

    [CommandOption("--json [FILE]")]
    [Description("Also write the result as JSON (scores, per-class IoU by name, checkpoint, spec, dataset, timings): to FILE, or alone on stdout (the other lines go to stderr).")]
    public FlagValue<string> Json { get; init; } = new();

    [CommandOption("--overwrite")]
    [Description("Let --json FILE replace an existing file.")]
    public bool Overwrite { get; init; }

    [CommandOption("--output <NAME>")]
    [Description("Network output to score: mask or dense.")]
    [DefaultValue("mask")]
    public string Output { get; init; } = "mask";
}

/// <summary>
/// <c>eval</c>: one confusion matrix over the val split, then pixAcc, mIoU (mIoU60 on Context) and a per-class table.
/// Progress: a bar with the count (moving window by window inside an image), elapsed time and time left on a terminal;
/// redirected, a line per tenth of the images with the rate and ETA, and inside an image that runs over 10 s a line per
/// tenth of its windows.
/// </summary>
public sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Checkpoint.Length == 0)
            throw new UsageException("eval needs --checkpoint FILE");
        OptionRules.Check(settings);
        string? jsonFile = settings.Json.IsSet && !string.IsNullOrEmpty(settings.Json.Value) ? settings.Json.Value : null;
        bool jsonOnStdout = settings.Json.IsSet && jsonFile is null;
        if (jsonFile is not null)
            JsonTarget(jsonFile, settings.Overwrite);
        TextWriter human = jsonOnStdout ? Console.Error : Console.Out;
        string kind = DatasetFactory.Kind(settings);
        var val = DatasetFactory.Open(settings, train: false);
        int window = settings.Window ?? (kind == DatasetFactory.BuiltIn ? 96 : 480);
        var options = WindowSettings.Options(settings, window);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var loaded = new CheckpointedNetwork(settings.Checkpoint, settings.Spec, settings.Device, window);
        TimeSpan load = clock.Elapsed;
        OptionRules.Output(settings.Output, loaded.Network.OutputNames);
        var (names, namesFrom) = ClassNames(settings, loaded, val);
        var predictor = new Predictor(loaded.Network, options, settings.Output);

        human.WriteLine($"{loaded.Network.SpecName} {settings.Checkpoint} on {val.Description}; scales {string.Join(",", options.Scales)}{(options.Flip ? " + flip" : "")}, window {window}");
        clock.Restart();
        ConfusionMatrix matrix = Console.IsOutputRedirected
            ? Evaluate(predictor, val, new ProgressLines("eval", "image", val.Count), human)
            : ConsoleReporter.Progress().Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("eval", maxValue: val.Count);
                int images = 0; // inside an image, the bar (and its ETA) moves with the windows done
                predictor.OnWindow = p => task.Value = images + ((double)p.Done / p.Total);
                return DatasetEvaluator.Run(predictor, val, (done, _) => task.Value = images = done);
            });
        TimeSpan evaluation = clock.Elapsed;
        SegmentationMetrics metrics = matrix.Metrics();
        if (!jsonOnStdout)
            Terminal.Write(ValidationReport.ClassTable(metrics, names));
        human.WriteLine(ValidationReport.Summary(metrics, kind == "context"));
        if (!settings.Json.IsSet)
            return 0;

        var inputs = new EvalReport.Inputs(settings.Checkpoint, loaded.Metadata, loaded.Network.SpecName, kind, settings.Data, val.Description, val.Count,
            loaded.DeviceName, options, settings.Output, namesFrom);
        string json = EvalReport.Json(inputs, metrics, names, kind == "context", load, evaluation);
        if (jsonFile is null)
            Console.Out.Write(json);
        else
            OutputFile.Write(Path.GetFullPath(jsonFile), System.Text.Encoding.UTF8.GetBytes(json), settings.Overwrite);
        return 0;
    }

    /// <summary>--class-names FILE, else the names recorded in the checkpoint, else the dataset's.</summary>
    private static (IReadOnlyList<string> Names, string From) ClassNames(EvalSettings s, CheckpointedNetwork loaded, ISegmentationDataset val)
    {
        int classes = loaded.Network.NumClasses;
        if (s.ClassNames is not null)
            return (ClassNamesFile.Read(s.ClassNames, classes, $"spec {loaded.Network.SpecName}"), $"--class-names {Path.GetFullPath(s.ClassNames)}");
        if (CheckpointClassNames.Read(loaded.Metadata, s.Checkpoint, classes) is { } recorded)
            return (recorded, $"checkpoint {Path.GetFullPath(s.Checkpoint)}");
        return (val.ClassNames, $"dataset ({val.Description})");
    }

    /// <summary>Checked before anything is evaluated: a folder that exists, and no file to replace without --overwrite.</summary>
    private static void JsonTarget(string path, bool overwrite)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new UsageException($"--json {path}: is a folder; give a file name");
        if (!Directory.Exists(Path.GetDirectoryName(full)))
            throw new UsageException($"--json {path}: folder {Path.GetDirectoryName(full)} not found");
        if (!overwrite && (File.Exists(full) || new FileInfo(full).LinkTarget is not null))
            throw new UsageException($"--json {path}: exists already; pass --overwrite to replace it");
    }

    /// <summary>How long an image runs before its window lines start (tests lower it).</summary>
    internal static double WindowLineSeconds { get; set; } = 10;

    private static ConfusionMatrix Evaluate(Predictor predictor, ISegmentationDataset val, ProgressLines lines, TextWriter human)
    {
        // a large image takes minutes: a line at each tenth of its windows, the first after WindowLineSeconds (as predict)
        ProgressLines? windows = null;
        int image = 1;
        predictor.OnWindow = p => (windows ??= new ProgressLines($"eval image {image}/{val.Count}:", "window", p.Total, WindowLineSeconds))
            .Report(p.Done, line => human.WriteLine($"  {line}"));
        return DatasetEvaluator.Run(predictor, val, (done, _) =>
        {
            windows = null;
            image = done + 1;
            lines.Report(done, line => human.WriteLine($"  {line}"));
        });
    }
}
