namespace NetSpec.Runtime.Prediction;

/// <summary>
/// How <see cref="SegmentationPredictor"/> covers a whole image: each scale resizes it (bilinear), windows of
/// <see cref="Window"/>² slide <see cref="Stride"/> apart (the last flush with the edge; an image smaller than a window
/// is padded with black), and with <see cref="Flip"/> the mirrored image is predicted too and mirrored back.
/// </summary>
/// <param name="Window">Window side in pixels: the network is planned once, at 1 × 3 × Window × Window.</param>
/// <param name="Stride">Pixels between window origins; less than <paramref name="Window"/> makes windows overlap.</param>
/// <param name="Scales">Resize factors; the logits of all scales are resized back and summed.</param>
/// <param name="Flip">Also predict the horizontally mirrored image.</param>
/// <param name="Normalization">Applied to RGB bytes; <see cref="Normalization.ImageNet"/> when null.</param>
public sealed record PredictionOptions(int Window, int Stride, IReadOnlyList<double> Scales, bool Flip, Normalization? Normalization = null)
{
    /// <summary>The scales of the published multi-scale evaluations (SANet, EncNet): 0.5 to 2 in steps of 0.25.</summary>
    public static IReadOnlyList<double> PublishedScales { get; } = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0];

    /// <summary>One scale, no flip, windows overlapping by a third.</summary>
    public static PredictionOptions SingleScale(int window) => new(window, DefaultStride(window), [1.0], false);

    /// <summary><see cref="PublishedScales"/>, optionally with flip, windows overlapping by a third.</summary>
    public static PredictionOptions MultiScale(int window, bool flip) => new(window, DefaultStride(window), PublishedScales, flip);

    /// <summary>Two thirds of the window (at least 1).</summary>
    public static int DefaultStride(int window) => Math.Max(1, window * 2 / 3);

    /// <summary>The normalisation in effect.</summary>
    public Normalization Norm => Normalization ?? Prediction.Normalization.ImageNet;

    /// <summary>The size an H × W image has at <paramref name="scale"/>: each side rounded, at least 1.</summary>
    public static (int Height, int Width) ScaledSize(int height, int width, double scale) =>
        (Math.Max(1, (int)Math.Round(height * scale)), Math.Max(1, (int)Math.Round(width * scale)));

    /// <summary>
    /// The forward passes one H × W image takes: at each scale, window rows × window columns of the scaled size, twice
    /// with <see cref="Flip"/>.
    /// </summary>
    public long CountWindows(int height, int width) => Scales.Sum(scale =>
    {
        var (h, w) = ScaledSize(height, width, scale);
        return (long)WindowStarts(h, Window, Stride).Count() * WindowStarts(w, Window, Stride).Count() * (Flip ? 2 : 1);
    });

    /// <summary>Window origins covering 0..<paramref name="size"/>: <paramref name="stride"/> apart, the last one flush with the end.</summary>
    public static IEnumerable<int> WindowStarts(int size, int window, int stride)
    {
        if (size <= window)
        {
            yield return 0;
            yield break;
        }

        int start = 0;
        for (; start + window < size; start += stride)
            yield return start;
        yield return size - window;
    }
}
