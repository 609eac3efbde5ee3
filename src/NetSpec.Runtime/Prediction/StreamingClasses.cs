namespace NetSpec.Runtime.Prediction;

/// <summary>
/// The sliding windows of <see cref="SegmentationPredictor"/> at scale 1 without flip, row of windows by row of windows.
/// Window tops only grow, so when a row of windows starts at <c>top</c> every image row above it has all its logits: those
/// rows are averaged and turned into class ids, and their slots in a ring of window-height rows are reused. Each pixel adds
/// its windows' logits in the same order as the full-image path and the inputs come from the same
/// <see cref="Normalization.Apply"/>, so the ids are the same, bit for bit; an 8000 × 8000 image needs K × window × 8000
/// floats rather than K × 8000² several times over.
/// </summary>
internal sealed class StreamingClasses(INetwork network, string output, PredictionOptions options, byte[] rgb, int h, int w, WindowCounter windows)
{
    private readonly int k = network.NumClasses;
    private readonly int win = options.Window;
    private readonly Normalization norm = options.Norm;

    public int[] Run()
    {
        if (rgb.Length != 3 * h * w)
            throw new ArgumentException($"an RGB image of {h}×{w} has {3 * h * w} bytes, not {rgb.Length}", nameof(rgb));
        network.Prepare(1, win, win, training: false);
        float[] ring = new float[k * win * w]; // (K, win rows, W): image row y lives in slot y % win
        int[] hits = new int[win * w];
        int[] ids = new int[h * w];
        float[] window = new float[3 * win * win], logits = new float[k * win * win];
        float[] pixel = new float[k];
        int done = 0; // rows [0, done) are finished
        foreach (int top in PredictionOptions.WindowStarts(h, win, options.Stride))
        {
            for (; done < top; done++)
                FinishRow(done, ring, hits, ids, pixel);
            foreach (int left in PredictionOptions.WindowStarts(w, win, options.Stride))
            {
                FillWindow(window, top, left);
                SegmentationPredictor.WindowForward(network, output, window, logits);
                windows.Done(1.0, false, top, left);
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
            FinishRow(done, ring, hits, ids, pixel);
        return ids;
    }

    private void FinishRow(int y, float[] ring, int[] hits, int[] ids, float[] pixel)
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

    /// <summary>The normalised (3, win, win) input at (top, left), black beyond the image (as the full-image path pads).</summary>
    private void FillWindow(float[] window, int top, int left)
    {
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < win; y++)
            {
                for (int x = 0; x < win; x++)
                {
                    int sy = top + y, sx = left + x;
                    window[(c * win * win) + (y * win) + x] = sy < h && sx < w ? norm.Apply(rgb[(((sy * w) + sx) * 3) + c], c) : norm.Black(c);
                }
            }
        }
    }
}
