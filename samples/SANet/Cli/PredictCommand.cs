using System.ComponentModel;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Imaging;
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
    public string Out { get; init; } = "";

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

/// <summary><c>predict</c>: per image a palette PNG of class ids (VOC colours) and an overlay PNG.</summary>
public sealed class PredictCommand : Command<PredictSettings>
{
    public override int Execute(CommandContext context, PredictSettings s, CancellationToken cancellationToken)
    {
        if (s.Checkpoint.Length == 0 || s.Input.Length == 0 || s.Out.Length == 0)
            throw new UsageException("predict needs --checkpoint FILE --input IMG|DIR --out DIR");
        if (s.Opacity is < 0 or > 1)
            throw new UsageException($"--opacity {s.Opacity}: must be in [0, 1]");
        string[] inputs = Directory.Exists(s.Input)
            ? Directory.EnumerateFiles(s.Input).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(s.Input) ? [s.Input] : throw new UsageException($"{s.Input}: no such image or folder");
        using var loaded = new CheckpointedNetwork(s.Checkpoint, s.Spec, s.Device);
        var predictor = new Predictor(loaded.Network, EvalOptions.SingleScale(s.Window));
        Directory.CreateDirectory(s.Out);
        foreach (string input in inputs)
        {
            var (w, h, rgb) = ImageCodec.TryDecodeRgb(input) ?? throw new DataException($"{input}: cannot read this image");
            int[] classes = predictor.Predict(new SegmentationSample(input, w, h, rgb, new byte[w * h]));
            string stem = Path.Combine(s.Out, Path.GetFileNameWithoutExtension(input));
            byte[] ids = classes.Select(c => (byte)c).ToArray();
            File.WriteAllBytes(stem + ".png", IndexedPng.Encode(w, h, ids, VocPalette.Bytes()));
            ImageCodec.WritePng(stem + "_overlay.png", w, h, Overlay(rgb, ids, s.Opacity));
            Console.WriteLine($"{input} → {stem}.png, {stem}_overlay.png");
        }

        return 0;
    }

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
