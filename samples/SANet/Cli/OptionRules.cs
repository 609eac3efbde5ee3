using System.Globalization;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// The range of every option of every command, in one place. Each command calls its Check first, before it
/// opens or writes anything; a value out of range is a <see cref="UsageException"/> naming the option and value.
/// Sizes the spec decides (the smallest crop or window a network can plan, what fits the device) are checked from
/// the compiler's plan before the network is created (<see cref="Networks.MemoryBudget"/>), also naming the option.
/// </summary>
public static partial class OptionRules
{
    /// <summary>Crop, window and info size cap: the image decode cap's side (ImageCodec.MaxPixels = 8192²).</summary>
    public const int MaxSize = 8192;

    /// <summary>Batch cap of train and info: 1024 crops of 480² are 2.8 GB of input alone.</summary>
    public const int MaxBatch = 1024;

    /// <summary>Class ids are bytes and 255 marks ignored pixels, so a dataset has at most 255 classes (ids 0..254).</summary>
    public const int MaxClasses = 255;

    public static void Check(TrainSettings s, RecipeOverrides recipe)
    {
        Data(s);
        InRange("--batch", s.Batch, 1, MaxBatch);
        InRange("--val-every", s.ValEvery, 1, int.MaxValue);
        InRange("--log-every", s.LogEvery, 1, int.MaxValue);
        if (s.Epochs is { } epochs)
            InRange("--epochs", epochs, 1, int.MaxValue);
        if (s.Iters is { } iters)
            InRange("--iters", iters, 1, long.MaxValue);
        if (s.Epochs is not null && s.Iters is not null)
            throw new UsageException("give --epochs or --iters, not both");
        if (s.Crop is { } crop)
            InRange("--crop", crop, 1, MaxSize);
        if (s.Lr is { } lr)
            InRange("--lr", lr, 0, 1);

        // momentum 1 never forgets a gradient; the poly power and weight decay only make sense non-negative.
        InRange("--set momentum", recipe.Double("momentum", 0.9), 0, 1, maxIncluded: false);
        InRange("--set weight-decay", recipe.Double("weight-decay", 1e-4), 0, 1);
        InRange("--set power", recipe.Double("power", 0.9), 0, 10);
        InRange("--set checkpoint-every", recipe.Long("checkpoint-every", 1), 1, int.MaxValue);
        InRange("--set stop-after", recipe.Long("stop-after", 0), 0, long.MaxValue);
        InRange("--set val-limit", recipe.Long("val-limit", 0), 0, int.MaxValue);
        recipe.Bool("flip", true);
    }

    /// <summary>
    /// The training scale range after defaults. Scales resize each image before the crop: a scale of 0 leaves no
    /// pixels, and an image of the decode cap (8192²) scaled by 3 is 3 × 24576² = 1.8e9 floats, under the int-indexed
    /// arrays' 2^31 − 1 (4× would be 3.2e9). The paper's range is 0.5–2.
    /// </summary>
    public static void Scales(double scaleMin, double scaleMax)
    {
        InRange("--set scale-min", scaleMin, 0, 3, minIncluded: false);
        InRange("--set scale-max", scaleMax, 0, 3, minIncluded: false);
        if (scaleMin > scaleMax)
            throw new UsageException($"--set scale-min={Text(scaleMin)} is above scale-max={Text(scaleMax)}");
    }

    public static void Check(EvalSettings s)
    {
        Data(s);
        WindowSettings.Check(s);
    }

    public static void Check(PredictSettings s)
    {
        InRange("--opacity", s.Opacity, 0, 1);
        WindowSettings.Check(s);
    }

    public static void Check(InfoSettings s)
    {
        InRange("--size", s.Size, 1, MaxSize);
        InRange("--batch", s.Batch, 1, MaxBatch);
    }

    public static void Check(DatasetSettings s)
    {
        if (s.Classes is { } classes)
            InRange("--classes", classes, 1, MaxClasses);
    }

    /// <summary>An output name the network has (eval --output).</summary>
    public static void Output(string name, IReadOnlyList<string> outputs)
    {
        if (!outputs.Contains(name))
            throw new UsageException($"--output {name}: the network's outputs are {string.Join(", ", outputs)}");
    }

    private static void Data(DatasetSettings s) => Check(s);

    internal static void InRange(string option, long value, long min, long max)
    {
        if (value < min || value > max)
            throw new UsageException($"{option} {value}: must be in {min}..{max}");
    }

    /// <summary>A finite value in the interval; NaN fails every comparison, so it is refused by name.</summary>
    private static void InRange(string option, double value, double min, double max, bool minIncluded = true, bool maxIncluded = true)
    {
        bool above = minIncluded ? value >= min : value > min;
        bool below = maxIncluded ? value <= max : value < max;
        if (!double.IsFinite(value) || !above || !below)
            throw new UsageException($"{option} {Text(value)}: must be a number in {(minIncluded ? '[' : '(')}{Text(min)}, {Text(max)}{(maxIncluded ? ']' : ')')}");
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
