namespace NetSpec.Samples.SANet.Data.Augment;

/// <summary>
/// Turns a sample into one crop×crop training example: random horizontal flip (p = 0.5), random scale
/// in [ScaleMin, ScaleMax] (aspect kept), pad (image black, label ignore) up to the crop, random crop.
/// All choices come from <paramref name="random"/>, so the same seed gives the same example.
/// </summary>
public static class TrainAugmenter
{
    public static (float[] Image, int[] Labels) Apply(SegmentationSample sample, AugmentOptions options, SeededRandom random)
    {
        bool flip = options.Flip && random.Chance(0.5);
        double scale = random.Uniform(options.ScaleMin, options.ScaleMax);
        int h = Math.Max(1, (int)Math.Round(sample.Height * scale));
        int w = Math.Max(1, (int)Math.Round(sample.Width * scale));

        float[] image = HostResize.Bilinear(Normalisation.ToPlanar(sample.Rgb, sample.Height, sample.Width), 3, sample.Height, sample.Width, h, w);
        byte[] labels = HostResize.Nearest(sample.Labels, sample.Height, sample.Width, h, w);

        int crop = options.Crop;
        int top = random.Next(Math.Max(h, crop) - crop + 1);
        int left = random.Next(Math.Max(w, crop) - crop + 1);
        float[] outImage = new float[3 * crop * crop];
        int[] outLabels = new int[crop * crop];
        for (int y = 0; y < crop; y++)
        {
            int sy = top + y;
            for (int x = 0; x < crop; x++)
            {
                int sx = left + x;
                int srcX = flip ? w - 1 - sx : sx;
                bool inside = sy < h && sx < w;
                int o = (y * crop) + x;
                outLabels[o] = inside ? labels[(sy * w) + srcX] : SegmentationSample.Ignore;
                for (int c = 0; c < 3; c++)
                    outImage[(c * crop * crop) + o] = inside ? image[(c * h * w) + (sy * w) + srcX] : Normalisation.Black(c);
            }
        }

        return (outImage, outLabels);
    }
}
