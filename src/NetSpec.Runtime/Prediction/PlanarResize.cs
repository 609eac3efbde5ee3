namespace NetSpec.Runtime.Prediction;

/// <summary>Bilinear resizing of planar (C, H, W) floats on the host, half-pixel centres (align_corners = false).</summary>
public static class PlanarResize
{
    /// <summary>(C, H, W) to (C, outH, outW); the same size returns a copy.</summary>
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

    /// <summary>Mirrors each row of planar (C, H, W) floats left to right.</summary>
    public static float[] FlipHorizontal(float[] planes, int channels, int height, int width)
    {
        float[] flipped = new float[planes.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                int row = (c * height * width) + (y * width);
                for (int x = 0; x < width; x++)
                    flipped[row + x] = planes[row + width - 1 - x];
            }
        }

        return flipped;
    }
}
