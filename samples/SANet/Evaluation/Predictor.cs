using NetSpec.Runtime;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Augment;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// Runs a network in eval mode over whole images of any size: scales, optional flip, sliding windows of
/// a fixed size (so the network is planned once), summing the "mask" logits at the original size.
/// </summary>
public sealed class Predictor(INetwork network, EvalOptions options, string output = "mask")
{
    public int NumClasses => network.NumClasses;

    /// <summary>Summed logits (K,H,W) at the image's size.</summary>
    public float[] Logits(SegmentationSample sample)
    {
        int k = network.NumClasses, h = sample.Height, w = sample.Width;
        float[] image = Normalisation.ToPlanar(sample.Rgb, h, w);
        float[] total = new float[k * h * w];
        foreach (double scale in options.Scales)
        {
            int sh = Math.Max(1, (int)Math.Round(h * scale)), sw = Math.Max(1, (int)Math.Round(w * scale));
            float[] scaled = HostResize.Bilinear(image, 3, h, w, sh, sw);
            foreach (bool flip in options.Flip ? new[] { false, true } : [false])
            {
                float[] input = flip ? FlipPlanar(scaled, 3, sh, sw) : scaled;
                float[] logits = SlidingWindows(input, sh, sw);
                if (flip)
                    logits = FlipPlanar(logits, k, sh, sw);
                float[] back = HostResize.Bilinear(logits, k, sh, sw, h, w);
                for (int i = 0; i < total.Length; i++)
                    total[i] += back[i];
            }
        }

        return total;
    }

    public int[] Predict(SegmentationSample sample) => ArgMax(Logits(sample), network.NumClasses, sample.Height * sample.Width);

    public static int[] ArgMax(float[] logits, int k, int pixels)
    {
        int[] best = new int[pixels];
        for (int i = 0; i < pixels; i++)
        {
            float max = logits[i];
            for (int c = 1; c < k; c++)
            {
                float v = logits[(c * pixels) + i];
                if (v > max)
                {
                    max = v;
                    best[i] = c;
                }
            }
        }

        return best;
    }

    private float[] SlidingWindows(float[] image, int h, int w)
    {
        int k = network.NumClasses, win = options.Window;
        network.Prepare(1, win, win, training: false);
        float[] sum = new float[k * h * w];
        int[] hits = new int[h * w];
        foreach (int top in Starts(h, win, options.Stride))
        {
            foreach (int left in Starts(w, win, options.Stride))
            {
                float[] window = new float[3 * win * win];
                for (int c = 0; c < 3; c++)
                {
                    for (int y = 0; y < win; y++)
                    {
                        for (int x = 0; x < win; x++)
                        {
                            int sy = top + y, sx = left + x;
                            window[(c * win * win) + (y * win) + x] = sy < h && sx < w ? image[(c * h * w) + (sy * w) + sx] : Normalisation.Black(c);
                        }
                    }
                }

                DeviceData.Upload(network.Image.View, window);
                network.Forward(training: false);
                network.Device.Synchronize();
                float[] logits = DeviceData.Download<float>(network.Output(output).View);
                for (int y = 0; y < Math.Min(win, h - top); y++)
                {
                    for (int x = 0; x < Math.Min(win, w - left); x++)
                    {
                        int p = ((top + y) * w) + left + x;
                        hits[p]++;
                        for (int c = 0; c < k; c++)
                            sum[(c * h * w) + p] += logits[(c * win * win) + (y * win) + x];
                    }
                }
            }
        }

        for (int c = 0; c < k; c++)
        {
            for (int p = 0; p < h * w; p++)
                sum[(c * h * w) + p] /= hits[p];
        }

        return sum;
    }

    /// <summary>Window origins covering 0..size: stride apart, the last one flush with the end.</summary>
    private static IEnumerable<int> Starts(int size, int window, int stride)
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

    private static float[] FlipPlanar(float[] planes, int channels, int h, int w)
    {
        float[] flipped = new float[planes.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < h; y++)
            {
                int row = (c * h * w) + (y * w);
                for (int x = 0; x < w; x++)
                    flipped[row + x] = planes[row + w - 1 - x];
            }
        }

        return flipped;
    }
}
