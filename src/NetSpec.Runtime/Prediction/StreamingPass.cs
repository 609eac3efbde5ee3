namespace NetSpec.Runtime.Prediction;

/// <summary>
/// One scale and mirror of <see cref="SegmentationPredictor.Logits"/>, added into the (K, H, W) sum without a whole-image
/// map at the scaled size. The windows run row of windows by row of windows over the scaled (and mirrored) image, whose
/// pixels are sampled from the (3, H, W) image as a window needs them. Their logits are summed in a ring of window-height
/// rows, as in <see cref="StreamingClasses"/>: when a row of windows starts at <c>top</c>, the scaled rows above it are
/// complete; each is averaged, mirrored back, and kept with the row before it, which is all that resizing back to H × W
/// needs for the output rows whose taps reach it, and those rows are added into the sum. Every value is computed by the
/// same float operations in the same order as resizing, mirroring, averaging and resizing whole maps (the old path), so
/// the sum is the same, bit for bit. Memory: K × window × scaled width floats (the ring), 2 × K × scaled width (two
/// finished rows), and one window's input and logits.
/// </summary>
internal sealed class StreamingPass(INetwork network, string output, PredictionOptions options, float[] image, int h, int w, WindowCounter windows)
{
    private readonly int k = network.NumClasses;
    private readonly int win = options.Window;

    /// <summary>Adds this pass's (K, H, W) logits, resized back and mirrored back, into <paramref name="total"/>.</summary>
    public void AddInto(float[] total, double scale, bool flip)
    {
        var (sh, sw) = PredictionOptions.ScaledSize(h, w, scale);
        bool same = sh == h && sw == w; // the whole-map path copies instead of resizing: no interpolation either way
        var input = new Sampler(image, h, w, sh, sw, flip, same);
        PlanarResize.Tap[] backRows = PlanarResize.Taps(sh, h), backColumns = PlanarResize.Taps(sw, w);
        network.Prepare(1, win, win, training: false);
        float[] ring = new float[k * win * sw]; // (K, win rows, sw), mirrored when flipping: scaled row y in slot y % win
        int[] hits = new int[win * sw];
        float[] window = new float[3 * win * win], logits = new float[k * win * win];
        float[] previous = new float[k * sw], current = new float[k * sw]; // finished rows y − 1 and y, (K, sw), not mirrored
        int done = 0, emitted = 0; // scaled rows [0, done) finished; output rows [0, emitted) added

        foreach (int top in PredictionOptions.WindowStarts(sh, win, options.Stride))
        {
            for (; done < top; done++)
                Finish(done);
            foreach (int left in PredictionOptions.WindowStarts(sw, win, options.Stride))
            {
                input.Fill(window, win, top, left, options.Norm);
                SegmentationPredictor.WindowForward(network, output, window, logits);
                windows.Done(scale, flip, top, left);
                for (int y = 0; y < Math.Min(win, sh - top); y++)
                {
                    int slot = (top + y) % win;
                    for (int x = 0; x < Math.Min(win, sw - left); x++)
                    {
                        hits[(slot * sw) + left + x]++;
                        for (int c = 0; c < k; c++)
                            ring[(((c * win) + slot) * sw) + left + x] += logits[(c * win * win) + (y * win) + x];
                    }
                }
            }
        }

        for (; done < sh; done++)
            Finish(done);

        // scaled row y is complete: average it, mirror it back, then add every output row that needs no later row
        void Finish(int y)
        {
            (previous, current) = (current, previous);
            int slot = y % win;
            for (int x = 0; x < sw; x++)
            {
                int at = (slot * sw) + x, to = flip ? sw - 1 - x : x;
                for (int c = 0; c < k; c++)
                {
                    int from = (((c * win) + slot) * sw) + x;
                    current[(c * sw) + to] = ring[from] / hits[at];
                    ring[from] = 0;
                }

                hits[at] = 0;
            }

            if (same)
            {
                for (int c = 0; c < k; c++)
                {
                    for (int x = 0; x < w; x++)
                        total[(((c * h) + y) * w) + x] += current[(c * sw) + x];
                }

                return;
            }

            // taps only move forward and reach one row further at most: a row whose far tap is y has its near one at y − 1 or y
            for (; emitted < h && backRows[emitted].Far <= y; emitted++)
            {
                PlanarResize.Tap row = backRows[emitted];
                float[] near = row.Near == y ? current : previous, far = row.Far == y ? current : previous;
                for (int c = 0; c < k; c++)
                {
                    for (int x = 0; x < w; x++)
                        total[(((c * h) + emitted) * w) + x] += PlanarResize.Blend(near, c * sw, far, c * sw, row.Weight, backColumns[x]);
                }
            }
        }
    }

    /// <summary>The (3, sh, sw) scaled and optionally mirrored image, pixel by pixel, as the whole-map resize computes it.</summary>
    private sealed class Sampler(float[] image, int h, int w, int sh, int sw, bool flip, bool same)
    {
        private readonly PlanarResize.Tap[] rows = PlanarResize.Taps(h, sh), columns = PlanarResize.Taps(w, sw);

        /// <summary>The normalised (3, win, win) window at (top, left), black beyond the scaled image.</summary>
        public void Fill(float[] window, int win, int top, int left, Normalization norm)
        {
            for (int c = 0; c < 3; c++)
            {
                int plane = c * h * w;
                for (int y = 0; y < win; y++)
                {
                    int sy = top + y;
                    for (int x = 0; x < win; x++)
                    {
                        int sx = left + x, ux = flip ? sw - 1 - sx : sx;
                        window[(c * win * win) + (y * win) + x] = sy >= sh || sx >= sw ? norm.Black(c)
                            : same ? image[plane + (sy * w) + ux]
                            : PlanarResize.Blend(image, plane + (rows[sy].Near * w), image, plane + (rows[sy].Far * w), rows[sy].Weight, columns[ux]);
                    }
                }
            }
        }
    }
}
