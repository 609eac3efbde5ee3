namespace NetSpec.Runtime.Prediction;

/// <summary>
/// Per-channel mean/std normalisation of 8-bit RGB: value = (byte / 255 − mean[c]) / std[c], as torchvision's
/// ToTensor + Normalize. <see cref="ImageNet"/> is what ImageNet-pretrained backbones (and the SANet sample) use.
/// </summary>
/// <param name="Mean">Per-channel mean of the [0, 1] values (R, G, B).</param>
/// <param name="Std">Per-channel standard deviation (R, G, B); each must be positive.</param>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>ImageNet's statistics: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225).</summary>
    public static Normalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The normalised value of <paramref name="value"/> in channel <paramref name="c"/>.</summary>
    public float Apply(byte value, int c) => ((value / 255f) - Mean[c]) / Std[c];

    /// <summary>The normalised value of a black (0) pixel in channel <paramref name="c"/>: what padding beyond the image holds.</summary>
    public float Black(int c) => -Mean[c] / Std[c];

    /// <summary>Interleaved RGB bytes (H, W, 3) to normalised planar floats (3, H, W).</summary>
    public float[] ToPlanar(ReadOnlySpan<byte> rgb, int height, int width)
    {
        int n = height * width;
        if (rgb.Length != 3 * n)
            throw new ArgumentException($"an RGB image of {height}×{width} has {3 * n} bytes, not {rgb.Length}", nameof(rgb));
        float[] planar = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++)
                planar[(c * n) + i] = Apply(rgb[(i * 3) + c], c);
        }

        return planar;
    }
}
