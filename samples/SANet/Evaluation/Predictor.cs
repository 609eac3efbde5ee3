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

    /// <summary>
    /// Class ids (H,W). A single scale without flip streams (<see cref="StreamingWindows"/>): no full-image logits, so an
    /// 8000×8000 image needs K × window × 8000 floats rather than K × 8000² several times over.
    /// </summary>
    public int[] Predict(SegmentationSample sample) =>
        options.Scales is [1.0] && !options.Flip
            ? StreamingWindows(sample)
            : ArgMax(Logits(sample), network.NumClasses, sample.Height * sample.Width);

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

    /// <summary>
    /// The sliding windows of <see cref="SlidingWindows"/> at scale 1, row of windows by row of windows. Window tops only
    /// grow, so when a row of windows starts at <c>top</c> every image row above it has all its logits: those rows are
    /// averaged and turned into class ids, and their slots in a ring of window-height rows are reused. Each pixel adds its
    /// windows' logits in the same order as <see cref="SlidingWindows"/> and the input values are computed by the same
    /// expression as <see cref="Normalisation.ToPlanar"/>, so the ids are the same, bit for bit.
    /// </summary>
    private int[] StreamingWindows(SegmentationSample sample)
    {
        int k = network.NumClasses, win = options.Window, h = sample.Height, w = sample.Width;
        network.Prepare(1, win, win, training: false);
        float[] ring = new float[k * win * w]; // (K, win rows, W): image row y lives in slot y % win
        int[] hits = new int[win * w];
        int[] ids = new int[h * w];
        float[] window = new float[3 * win * win];
        float[] pixel = new float[k];
        int done = 0; // rows [0, done) are finished
        foreach (int top in Starts(h, win, options.Stride))
        {
            for (; done < top; done++)
                FinishRow(done);
            foreach (int left in Starts(w, win, options.Stride))
            {
                FillWindow(sample, window, top, left, win);
                DeviceData.Upload(network.Image.View, window);
                network.Forward(training: false);
                network.Device.Synchronize();
                float[] logits = DeviceData.Download<float>(network.Output(output).View);
                for (int y = 0; y < Math.Min(win, h - top); y++)
                {
                    int slot = (top + y) % win;
                    for (int x = 0; x < Math.Min(win, w - left); x++)
                    {
                        hits[(slot * w) + left + x]++;
                        for (int c = 0; c < k; c++)
                            ring[(((c * win) + slot) * w) + left + x] += logits[(c * win * win) + (y * win) + x];
                    }
                }
            }
        }

        for (; done < h; done++)
            FinishRow(done);
        return ids;

        void FinishRow(int y)
        {
            int slot = y % win;
            for (int x = 0; x < w; x++)
            {
                int at = (slot * w) + x;
                for (int c = 0; c < k; c++)
                {
                    pixel[c] = ring[(((c * win) + slot) * w) + x] / hits[at];
                    ring[(((c * win) + slot) * w) + x] = 0;
                }

                hits[at] = 0;
                int best = 0;
                for (int c = 1; c < k; c++)
                {
                    if (pixel[c] > pixel[best])
                        best = c;
                }

                ids[(y * w) + x] = best;
            }
        }
    }

    /// <summary>The normalised (3,win,win) input at (top,left), black beyond the image (as <see cref="SlidingWindows"/> pads).</summary>
    private static void FillWindow(SegmentationSample sample, float[] window, int top, int left, int win)
    {
        int h = sample.Height, w = sample.Width;
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < win; y++)
            {
                for (int x = 0; x < win; x++)
                {
                    int sy = top + y, sx = left + x;
                    window[(c * win * win) + (y * win) + x] = sy < h && sx < w
                        ? ((sample.Rgb[(((sy * w) + sx) * 3) + c] / 255f) - Normalisation.Mean[c]) / Normalisation.Std[c]
                        : Normalisation.Black(c);
                }
            }
        }
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
