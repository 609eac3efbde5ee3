namespace NetSpec.Samples.SANet.Data.Augment;

/// <summary>ImageNet mean/std normalisation of RGB bytes into planar (3,H,W) floats.</summary>
public static class Normalisation
{
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    public static float[] ToPlanar(byte[] rgb, int height, int width)
    {
        int n = height * width;
        float[] planar = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++)
                planar[(c * n) + i] = ((rgb[(i * 3) + c] / 255f) - Mean[c]) / Std[c];
        }

        return planar;
    }

    /// <summary>The normalised value of a black (0) pixel in channel <paramref name="c"/>: what padding holds.</summary>
    public static float Black(int c) => -Mean[c] / Std[c];
}
