using NetSpec.Runtime.Prediction;

namespace NetSpec.Samples.SANet.Data.Augment;

/// <summary>ImageNet mean/std normalisation of RGB bytes into planar (3,H,W) floats: the runtime's <see cref="Normalization.ImageNet"/>.</summary>
public static class Normalisation
{
    public static readonly float[] Mean = Normalization.ImageNet.Mean;
    public static readonly float[] Std = Normalization.ImageNet.Std;

    public static float[] ToPlanar(byte[] rgb, int height, int width) => Normalization.ImageNet.ToPlanar(rgb, height, width);

    /// <summary>The normalised value of a black (0) pixel in channel <paramref name="c"/>: what padding holds.</summary>
    public static float Black(int c) => Normalization.ImageNet.Black(c);
}
