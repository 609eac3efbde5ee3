using System.ComponentModel;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Disk;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Imaging;
using NetSpec.Samples.SANet.Networks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class PredictSettings : CommandSettings, IWindowSettings
{
    [CommandOption("--checkpoint <FILE>")]
    [Description("Weights (.safetensors) written by train (last or best); its metadata names the spec.")]
    public string Checkpoint { get; init; } = "";

    [CommandOption("--input <PATH>")]
    [Description("An image, or a folder of .jpg/.jpeg/.png images.")]
    public string Input { get; init; } = "";

    [CommandOption("--out <DIR>")]
    [Description("Folder for the outputs, NAME.png (class ids, VOC palette) and NAME_overlay.png per image (created if absent; not the input folder, not a link).")]
    public string Out { get; init; } = "";

    [CommandOption("--overwrite")]
    [Description("Replace outputs that exist already (never inputs; links are replaced, not followed).")]
    public bool Overwrite { get; init; }

    [CommandOption("--opacity <X>")]
    [Description("Weight of the class colours in the overlay (0..1).")]
    [DefaultValue(0.5)]
    public double Opacity { get; init; } = 0.5;

    [CommandOption("--spec <SPEC>")]
    [Description("The checkpoint's spec, by name or file; default: the one its metadata names.")]
    public string? Spec { get; init; }

    [CommandOption("--window <N>")]
    [Description("Sliding window size (default: the training crop the checkpoint records, else 96)" + WindowSettings.WindowStride)]
    public int? Window { get; init; }

    [CommandOption("--multi-scale")]
    [Description(WindowSettings.MultiScaleHelp)]
    public bool MultiScale { get; init; }

    [CommandOption("--flip")]
    [Description(WindowSettings.FlipHelp)]
    public bool Flip { get; init; }

    [CommandOption("--class-names <FILE>")]
    [Description("The legend's class names, one a line in class-id order (count = the spec's classes). Default: those the checkpoint records, else VOC's (21 classes) or Context's (59), else class 0, class 1, …")]
    public string? ClassNames { get; init; }

    [CommandOption("--no-legend")]
    [Description("Leave the class legend off the overlay (which is then exactly the image's size).")]
    public bool NoLegend { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("auto, cuda, opencl or cpu.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";
}

/// <summary>
/// <c>predict</c>: per image a palette PNG of class ids (VOC colours) and an overlay PNG with a legend of the classes
/// it shows. Everything is checked first (options, every image decoded, output names, the network at the window size),
/// then written. Progress: a bar weighted by pixels (a large image counts for its size, and moves it window by window) on
/// a terminal; redirected, a line per image with its time, and inside an image that runs past 10 s a line at each
/// tenth of its windows with the time left.
/// </summary>
public sealed class PredictCommand : Command<PredictSettings>
{
    public override int Execute(CommandContext context, PredictSettings s, CancellationToken cancellationToken)
    {
        if (s.Checkpoint.Length == 0 || s.Input.Length == 0 || s.Out.Length == 0)
            throw new UsageException("predict needs --checkpoint FILE --input IMG|DIR --out DIR");
        OptionRules.Check(s);
        string[] inputs = Directory.Exists(s.Input)
            ? Directory.EnumerateFiles(s.Input).Where(IsImageName).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(s.Input) ? [s.Input] : throw new UsageException($"--input {s.Input}: no such image or folder");
        if (inputs.Length == 0)
            throw new UsageException($"--input {s.Input}: holds no .jpg/.jpeg/.png images");
        IReadOnlyList<PredictOutput> plan = PredictOutputs.Plan(s.Input, inputs, s.Out, s.Overwrite);
        var sizes = new Dictionary<string, (int Width, int Height)>(StringComparer.Ordinal);
        foreach (string input in inputs)
        {
            var (w, h, _) = ImageCodec.DecodeRgb(input);
            sizes[input] = (w, h);
        }

        int window = s.Window ?? DefaultWindow(s.Checkpoint);
        using var loaded = new CheckpointedNetwork(s.Checkpoint, s.Spec, s.Device, window);
        var options = WindowSettings.Options(s, window);
        var predictor = new Predictor(loaded.Network, options);
        Console.WriteLine($"{loaded.Network.SpecName} {s.Checkpoint}; scales {string.Join(",", options.Scales)}{(options.Flip ? " + flip" : "")}, window {window}");

        int classes = loaded.Network.NumClasses;
        IReadOnlyList<string> names = s.ClassNames is not null
            ? ClassNamesFile.Read(s.ClassNames, classes, $"spec {loaded.Network.SpecName}")
            : ClassNames(loaded.Metadata, s.Checkpoint, classes);

        OutputFile.CreateFolder(s.Out, "--out");
        if (Console.IsOutputRedirected)
        {
            for (int i = 0; i < plan.Count; i++)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                // a large image takes minutes: a line at each tenth of its windows, the first after 10 s
                ProgressLines? windows = null;
                string label = $"[{i + 1}/{plan.Count}] {plan[i].Input}";
                predictor.OnWindow = p => (windows ??= new ProgressLines(label, "window", p.Total, minSeconds: 10)).Report(p.Done, Console.WriteLine);
                var (w, h) = Predict(predictor, plan[i], s, names);
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"[{i + 1}/{plan.Count}] {plan[i].Input} ({w}×{h}, {clock.Elapsed.TotalSeconds:F1} s) → {plan[i].Label}, {plan[i].Overlay}"));
            }

            return 0;
        }

        // Pixels decide the time: a bar over the pixels of every image, the current image named with its size.
        new Progress(AnsiConsole.Console)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                ProgressTask task = ctx.AddTask("predict", maxValue: Math.Max(1, sizes.Values.Sum(d => (long)d.Width * d.Height)));
                for (int i = 0; i < plan.Count; i++)
                {
                    var (w, h) = sizes[plan[i].Input];
                    task.Description = Markup.Escape($"{i + 1}/{plan.Count} {Path.GetFileName(plan[i].Input)} {w}×{h}");
                    ctx.Refresh();
                    // inside the image, its pixels advance with its windows (a large image moves the bar and the ETA)
                    double before = task.Value, pixels = (double)w * h;
                    predictor.OnWindow = p => task.Value = before + (pixels * p.Done / p.Total);
                    Predict(predictor, plan[i], s, names);
                    task.Value = before + pixels;
                    Terminal.Write(new Text($"{plan[i].Input} → {plan[i].Label}, {plan[i].Overlay}\n"));
                }
            });
        return 0;
    }

    /// <summary>The crop the checkpoint was trained on (its metadata), or 96 (the built-in data's crop) when it records none.</summary>
    private static int DefaultWindow(string checkpoint)
    {
        int? crop = NetworkWeights.ReadMetadata(checkpoint).TrainingCrop;
        if (crop > OptionRules.MaxSize)
            throw new UsageException($"{checkpoint}: records a training crop of {crop}, above {OptionRules.MaxSize}; pass --window");
        return crop ?? 96;
    }

    /// <summary>
    /// The legend's class names without --class-names: those the checkpoint records (<see cref="CheckpointClassNames"/>:
    /// a list that does not fit is refused, as eval refuses it), else VOC's for 21 classes, Context's for 59, else "class N".
    /// </summary>
    public static IReadOnlyList<string> ClassNames(CheckpointMetadata metadata, string checkpoint, int numClasses)
    {
        if (CheckpointClassNames.Read(metadata, checkpoint, numClasses) is { } recorded)
            return recorded;

        return numClasses switch
        {
            21 => ClassLists.Voc,
            59 => ClassLists.Context,
            _ => Enumerable.Range(0, numClasses).Select(i => $"class {i}").ToArray(),
        };
    }

    private static (int Width, int Height) Predict(Predictor predictor, PredictOutput output, PredictSettings s, IReadOnlyList<string> names)
    {
        var (w, h, rgb) = ImageCodec.DecodeRgb(output.Input);
        int[] classes = predictor.Predict(new SegmentationSample(output.Input, w, h, rgb, new byte[w * h]));
        byte[] ids = classes.Select(c => (byte)c).ToArray();
        OutputFile.Write(output.Label, IndexedPng.Encode(w, h, ids, VocPalette.Bytes()), s.Overwrite);
        byte[] overlay = Overlay(rgb, ids, s.Opacity);
        var (ow, oh, pixels) = s.NoLegend ? (w, h, overlay) : OverlayLegend.Append(w, h, overlay, ids, names);
        OutputFile.Write(output.Overlay, ImageCodec.EncodePng(ow, oh, pixels), s.Overwrite);
        return (w, h);
    }

    private static bool IsImageName(string f) =>
        f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase);

    private static byte[] Overlay(byte[] rgb, byte[] ids, double opacity)
    {
        byte[] mixed = new byte[rgb.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            var (r, g, b) = VocPalette.Colour(ids[i]);
            mixed[i * 3] = (byte)Math.Round(((1 - opacity) * rgb[i * 3]) + (opacity * r));
            mixed[(i * 3) + 1] = (byte)Math.Round(((1 - opacity) * rgb[(i * 3) + 1]) + (opacity * g));
            mixed[(i * 3) + 2] = (byte)Math.Round(((1 - opacity) * rgb[(i * 3) + 2]) + (opacity * b));
        }

        return mixed;
    }
}
