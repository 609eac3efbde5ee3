using System.ComponentModel;
using NetSpec.Runtime.Prediction;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Imaging;
using NetSpec.Samples.SANet.Networks;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class PredictSettings : CommandSettings
{
    [CommandOption("--checkpoint <FILE>")]
    public string Checkpoint { get; init; } = "";

    [CommandOption("--input <PATH>")]
    [Description("An image, or a folder of .jpg/.png images.")]
    public string Input { get; init; } = "";

    [CommandOption("--out <DIR>")]
    [Description("Folder for the outputs (created if absent; not the input folder, not a link).")]
    public string Out { get; init; } = "";

    [CommandOption("--overwrite")]
    [Description("Replace outputs that exist already (never inputs; links are replaced, not followed).")]
    public bool Overwrite { get; init; }

    [CommandOption("--opacity <X>")]
    [Description("Weight of the class colours in the overlay.")]
    [DefaultValue(0.5)]
    public double Opacity { get; init; } = 0.5;

    [CommandOption("--spec <FILE>")]
    public string? Spec { get; init; }

    [CommandOption("--window <N>")]
    [Description("Sliding window size (default: the training crop the checkpoint records, else 96); stride is 2/3 of it.")]
    public int? Window { get; init; }

    [CommandOption("--multi-scale")]
    [Description("Scales 0.5, 0.75, …, 2.0 of each image, logits summed (docs/sanet.md §8).")]
    public bool MultiScale { get; init; }

    [CommandOption("--flip")]
    [Description("Add the logits of the horizontally flipped image.")]
    public bool Flip { get; init; }

    [CommandOption("--device <DEVICE>")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";
}

/// <summary>
/// <c>predict</c>: per image a palette PNG of class ids (VOC colours) and an overlay PNG. Everything is checked
/// first (options, every image decoded, output names, the network at the window size), then written.
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
        foreach (string input in inputs)
            ImageCodec.DecodeRgb(input);
        int window = s.Window ?? DefaultWindow(s.Checkpoint);
        using var loaded = new CheckpointedNetwork(s.Checkpoint, s.Spec, s.Device, window);
        var options = new EvalOptions(window, PredictionOptions.DefaultStride(window), s.MultiScale ? EvalOptions.PublishedScales : [1.0], s.Flip);
        var predictor = new Predictor(loaded.Network, options);
        Console.WriteLine($"{loaded.Network.SpecName} {s.Checkpoint}; scales {string.Join(",", options.Scales)}{(options.Flip ? " + flip" : "")}, window {window}");

        OutputFile.CreateFolder(s.Out, "--out");
        foreach (PredictOutput output in plan)
        {
            var (w, h, rgb) = ImageCodec.DecodeRgb(output.Input);
            int[] classes = predictor.Predict(new SegmentationSample(output.Input, w, h, rgb, new byte[w * h]));
            byte[] ids = classes.Select(c => (byte)c).ToArray();
            OutputFile.Write(output.Label, IndexedPng.Encode(w, h, ids, VocPalette.Bytes()), s.Overwrite);
            OutputFile.Write(output.Overlay, ImageCodec.EncodePng(w, h, Overlay(rgb, ids, s.Opacity)), s.Overwrite);
            Console.WriteLine($"{output.Input} → {output.Label}, {output.Overlay}");
        }

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
