using NetSpec.Runtime.Prediction;
using NetSpec.Samples.SANet.Evaluation;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>The sliding-window options of eval and predict: --window, --multi-scale, --flip.</summary>
public interface IWindowSettings
{
    int? Window { get; }

    bool MultiScale { get; }

    bool Flip { get; }
}

/// <summary>
/// What eval and predict share of <see cref="IWindowSettings"/>, written once: the help texts, the range check and the
/// <see cref="EvalOptions"/> they make. Each settings class still declares the three properties with these texts:
/// Spectre.Console.Cli binds only a settings class's own or inherited properties, and eval's settings inherit the
/// dataset options (DataSettings), which predict has not, so no single base class fits both.
/// </summary>
public static class WindowSettings
{
    public const string WindowStride = "; stride is 2/3 of it.";

    public const string MultiScaleHelp = "Scales 0.5, 0.75, …, 2.0 of each image, logits summed (docs/sanet.md §8).";

    public const string FlipHelp = "Add the logits of the horizontally flipped image.";

    /// <summary>--window in 1..<see cref="OptionRules.MaxSize"/> when given.</summary>
    public static void Check(IWindowSettings s)
    {
        if (s.Window is { } window)
            OptionRules.InRange("--window", window, 1, OptionRules.MaxSize);
    }

    /// <summary>At <paramref name="window"/> (--window, else the command's default): a stride of 2/3 of it, the scales, flip.</summary>
    public static EvalOptions Options(IWindowSettings s, int window) =>
        new(window, PredictionOptions.DefaultStride(window), s.MultiScale ? EvalOptions.PublishedScales : [1.0], s.Flip);
}
