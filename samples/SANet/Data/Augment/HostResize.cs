using NetSpec.Runtime.Prediction;

namespace NetSpec.Samples.SANet.Data.Augment;

/// <summary>Resizing on the host: bilinear (half-pixel centres) for images and logits, nearest for labels.</summary>
public static class HostResize
{
    /// <summary>Planar (C,H,W) floats to (C,outH,outW): the runtime's <see cref="PlanarResize.Bilinear"/>.</summary>
    public static float[] Bilinear(float[] src, int channels, int height, int width, int outHeight, int outWidth) =>
        PlanarResize.Bilinear(src, channels, height, width, outHeight, outWidth);

    public static byte[] Nearest(byte[] src, int height, int width, int outHeight, int outWidth)
    {
        if (outHeight == height && outWidth == width)
            return (byte[])src.Clone();
        byte[] dst = new byte[outHeight * outWidth];
        for (int y = 0; y < outHeight; y++)
        {
            int sy = Math.Min(height - 1, (int)((y + 0.5) * height / outHeight));
            for (int x = 0; x < outWidth; x++)
                dst[(y * outWidth) + x] = src[(sy * width) + Math.Min(width - 1, (int)((x + 0.5) * width / outWidth))];
        }

        return dst;
    }
}
