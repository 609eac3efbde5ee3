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
        Tap[] rows = Taps(height, outHeight), columns = Taps(width, outWidth);
        for (int y = 0; y < outHeight; y++)
        {
            for (int x = 0; x < outWidth; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int plane = c * height * width;
                    dst[(c * outHeight * outWidth) + (y * outWidth) + x] =
                        Blend(src, plane + (rows[y].Near * width), src, plane + (rows[y].Far * width), rows[y].Weight, columns[x]);
                }
            }
        }

        return dst;
    }

    /// <summary>
    /// Where each of <paramref name="outSize"/> positions samples an axis of <paramref name="size"/>: half-pixel centres,
    /// clamped to the edges; the two source indices and the weight of the far one.
    /// </summary>
    internal static Tap[] Taps(int size, int outSize)
    {
        var taps = new Tap[outSize];
        float step = (float)size / outSize;
        for (int o = 0; o < outSize; o++)
        {
            float f = Math.Clamp(((o + 0.5f) * step) - 0.5f, 0, size - 1);
            int near = (int)f;
            taps[o] = new Tap(near, Math.Min(near + 1, size - 1), f - near);
        }

        return taps;
    }

    /// <summary>
    /// One bilinear value from two source rows (<paramref name="near"/>[<paramref name="nearRow"/>..] and
    /// <paramref name="far"/>[<paramref name="farRow"/>..], the far one weighted <paramref name="rowWeight"/>) at a column tap.
    /// Every path that resizes computes its values here, so streamed and whole-map results agree bit for bit.
    /// </summary>
    internal static float Blend(float[] near, int nearRow, float[] far, int farRow, float rowWeight, Tap column)
    {
        float top = (near[nearRow + column.Near] * (1 - column.Weight)) + (near[nearRow + column.Far] * column.Weight);
        float bottom = (far[farRow + column.Near] * (1 - column.Weight)) + (far[farRow + column.Far] * column.Weight);
        return (top * (1 - rowWeight)) + (bottom * rowWeight);
    }

    /// <summary>A resize tap: the nearer and farther source index and the farther one's weight.</summary>
    internal readonly record struct Tap(int Near, int Far, float Weight);

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
