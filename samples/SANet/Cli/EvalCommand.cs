using System.ComponentModel;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class EvalSettings : DataSettings
{
    [CommandOption("--checkpoint <FILE>")]
    [Description("Weights (.safetensors) written by train (last or best).")]
    public string Checkpoint { get; init; } = "";

    [CommandOption("--multi-scale")]
    [Description("Scales 0.5, 0.75, …, 2.0 of each image, logits summed (docs/sanet.md §8).")]
    public bool MultiScale { get; init; }

    [CommandOption("--flip")]
    [Description("Add the logits of the horizontally flipped image.")]
    public bool Flip { get; init; }

    [CommandOption("--window <N>")]
    [Description("Sliding window size (default: 96 built-in, 480 on disk); stride is 2/3 of it.")]
    public int? Window { get; init; }

    [CommandOption("--output <NAME>")]
    [Description("Network output to score: mask or dense.")]
    [DefaultValue("mask")]
    public string Output { get; init; } = "mask";
}

/// <summary>
/// <c>eval</c>: one confusion matrix over the val split, then pixAcc, mIoU (mIoU60 on Context) and a per-class table.
/// Progress: a bar with the count, elapsed time and time left on a terminal; redirected, a line per tenth with the rate and ETA.
/// </summary>
public sealed class EvalCommand : Command<EvalSettings>
{
    public override int Execute(CommandContext context, EvalSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Checkpoint.Length == 0)
            throw new UsageException("eval needs --checkpoint FILE");
        OptionRules.Check(settings);
        string kind = DatasetFactory.Kind(settings);
        var val = DatasetFactory.Open(settings, train: false);
        int window = settings.Window ?? (kind == DatasetFactory.BuiltIn ? 96 : 480);
        using var loaded = new CheckpointedNetwork(settings.Checkpoint, settings.Spec, settings.Device, window);
        OptionRules.Output(settings.Output, loaded.Network.OutputNames);
        var options = new EvalOptions(window, Math.Max(1, window * 2 / 3), settings.MultiScale ? EvalOptions.PublishedScales : [1.0], settings.Flip);
        var predictor = new Predictor(loaded.Network, options, settings.Output);

        Console.WriteLine($"{loaded.Network.SpecName} {settings.Checkpoint} on {val.Description}; scales {string.Join(",", options.Scales)}{(options.Flip ? " + flip" : "")}, window {window}");
        ConfusionMatrix matrix = Console.IsOutputRedirected
            ? Evaluate(predictor, val, new ProgressLines("eval", "image", val.Count))
            : ConsoleReporter.Progress().Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("eval", maxValue: val.Count);
                return DatasetEvaluator.Run(predictor, val, (done, _) => task.Value = done);
            });
        SegmentationMetrics metrics = matrix.Metrics();
        Terminal.Write(ValidationReport.ClassTable(metrics, val.ClassNames));
        Console.WriteLine(ValidationReport.Summary(metrics, kind == "context"));
        return 0;
    }

    private static ConfusionMatrix Evaluate(Predictor predictor, ISegmentationDataset val, ProgressLines lines) =>
        DatasetEvaluator.Run(predictor, val, (done, _) => lines.Report(done, line => Console.WriteLine($"  {line}")));
}
