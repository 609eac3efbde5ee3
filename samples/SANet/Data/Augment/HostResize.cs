namespace NetSpec.Samples.SANet.Data.Augment;

/// <summary>Resizing on the host: bilinear (half-pixel centres) for images and logits, nearest for labels.</summary>
public static class HostResize
{
    /// <summary>Planar (C,H,W) floats to (C,outH,outW).</summary>
    public static float[] Bilinear(float[] src, int channels, int height, int width, int outHeight, int outWidth)
    {
        if (outHeight == height && outWidth == width)
            return (float[])src.Clone();
        float[] dst = new float[channels * outHeight * outWidth];
        float sy = (float)height / outHeight, sx = (float)width / outWidth;
        for (int y = 0; y < outHeight; y++)
        {
            float fy = Math.Clamp(((y + 0.5f) * sy) - 0.5f, 0, height - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, height - 1);
            float wy = fy - y0;
            for (int x = 0; x < outWidth; x++)
            {
                float fx = Math.Clamp(((x + 0.5f) * sx) - 0.5f, 0, width - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, width - 1);
                float wx = fx - x0;
                for (int c = 0; c < channels; c++)
                {
                    int plane = c * height * width;
                    float top = (src[plane + (y0 * width) + x0] * (1 - wx)) + (src[plane + (y0 * width) + x1] * wx);
                    float bottom = (src[plane + (y1 * width) + x0] * (1 - wx)) + (src[plane + (y1 * width) + x1] * wx);
                    dst[(c * outHeight * outWidth) + (y * outWidth) + x] = (top * (1 - wy)) + (bottom * wy);
                }
            }
        }

        return dst;
    }

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
