using NetSpec.Runtime.Prediction;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// How to predict a full image: each scale resizes it, windows of <see cref="Window"/>² slide with
/// <see cref="Stride"/> (images smaller than a window are padded), logits of windows, flips and scales are summed.
/// </summary>
public sealed record EvalOptions(int Window, int Stride, IReadOnlyList<double> Scales, bool Flip)
{
    public static readonly double[] PublishedScales = [.. PredictionOptions.PublishedScales];

    public static EvalOptions SingleScale(int window) => new(window, PredictionOptions.DefaultStride(window), [1.0], false);
}
