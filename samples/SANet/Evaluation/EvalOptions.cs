namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// How to predict a full image: each scale resizes it, windows of <see cref="Window"/>² slide with
/// <see cref="Stride"/> (images smaller than a window are padded), logits of windows, flips and scales are summed.
/// </summary>
public sealed record EvalOptions(int Window, int Stride, IReadOnlyList<double> Scales, bool Flip)
{
    public static readonly double[] PublishedScales = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0];

    public static EvalOptions SingleScale(int window) => new(window, Math.Max(1, window * 2 / 3), [1.0], false);
}
