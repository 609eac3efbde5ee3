using System.ComponentModel;
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
    [DefaultValue(96)]
    public int Window { get; init; } = 96;

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
        using var loaded = new CheckpointedNetwork(s.Checkpoint, s.Spec, s.Device, s.Window);
        var predictor = new Predictor(loaded.Network, EvalOptions.SingleScale(s.Window));

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
