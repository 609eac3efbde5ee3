namespace NetSpec.Runtime.Prediction;

/// <summary>
/// Runs a segmentation network in eval mode over whole images of any size (<see cref="PredictionOptions"/>): scales,
/// optional flip, sliding windows of one size (so the network is planned once), the output's logits averaged where
/// windows overlap and summed over scales and flips at the image's size.
/// </summary>
public sealed class SegmentationPredictor
{
    private readonly INetwork network;
    private readonly string output;

    /// <param name="network">A network with weights loaded; it is re-planned at 1 × 3 × window × window.</param>
    /// <param name="options">Window, stride, scales, flip, normalisation.</param>
    /// <param name="output">The output holding (N, K, H, W) class logits at the input size.</param>
    public SegmentationPredictor(INetwork network, PredictionOptions options, string output = "mask")
    {
        if (options.Window < 1 || options.Stride < 1)
            throw new ArgumentException($"window {options.Window} and stride {options.Stride} must be positive", nameof(options));
        if (options.Scales.Count == 0 || options.Scales.Any(s => !double.IsFinite(s) || s <= 0))
            throw new ArgumentException($"scales [{string.Join(", ", options.Scales)}] must be positive numbers, at least one", nameof(options));
        if (!network.OutputNames.Contains(output))
            throw new ArgumentException($"{network.SpecName} has no output '{output}' (it has {string.Join(", ", network.OutputNames)})", nameof(output));
        this.network = network;
        this.output = output;
        Options = options;
    }

    /// <summary>The options in effect.</summary>
    public PredictionOptions Options { get; }

    /// <summary>
    /// Called after each window's forward pass of every Predict, PredictClasses and Logits call, in the order the windows
    /// run (scale by scale, the flip after the plain pass, rows of windows top to bottom, each left to right): progress
    /// inside a large image. Null for none.
    /// </summary>
    public Action<WindowProgress>? OnWindow { get; set; }

    /// <summary>K, the network's classes.</summary>
    public int NumClasses => network.NumClasses;

    /// <summary>Class ids and probabilities of interleaved RGB bytes (H, W, 3), normalised by the options.</summary>
    public SegmentationResult Predict(byte[] rgb, int height, int width) =>
        Predict(Options.Norm.ToPlanar(rgb, height, width), height, width);

    /// <summary>Class ids and probabilities of a normalised planar image (3, H, W).</summary>
    public SegmentationResult Predict(float[] image, int height, int width)
    {
        float[] sum = Logits(image, height, width);
        int k = NumClasses, pixels = height * width;
        int[] classes = ArgMax(sum, k, pixels);
        float passes = Options.Scales.Count * (Options.Flip ? 2 : 1);
        float[] probabilities = new float[sum.Length];
        for (int p = 0; p < pixels; p++)
        {
            float max = float.NegativeInfinity, total = 0;
            for (int c = 0; c < k; c++)
                max = Math.Max(max, sum[(c * pixels) + p] / passes);
            for (int c = 0; c < k; c++)
                total += probabilities[(c * pixels) + p] = MathF.Exp((sum[(c * pixels) + p] / passes) - max);
            for (int c = 0; c < k; c++)
                probabilities[(c * pixels) + p] /= total;
        }

        return new SegmentationResult(height, width, k, classes, probabilities);
    }

    /// <summary>
    /// Class ids (H, W) of interleaved RGB bytes. One scale without flip streams row of windows by row of windows
    /// (<see cref="StreamingClasses"/>): no full-image logits, the same ids bit for bit.
    /// </summary>
    public int[] PredictClasses(byte[] rgb, int height, int width) =>
        Options.Scales is [1.0] && !Options.Flip
            ? new StreamingClasses(network, output, Options, rgb, height, width, new WindowCounter(OnWindow, Options.CountWindows(height, width))).Run()
            : ArgMax(Logits(Options.Norm.ToPlanar(rgb, height, width), height, width), NumClasses, height * width);

    /// <summary>
    /// Summed logits (K, H, W) of a normalised planar image (3, H, W): each scale and flip's window average, resized back.
    /// Each scale and flip streams (<see cref="StreamingPass"/>): beside the sum, only a row of windows at a time.
    /// </summary>
    public float[] Logits(float[] image, int height, int width)
    {
        if (image.Length != 3 * height * width)
            throw new ArgumentException($"a (3, {height}, {width}) image has {3 * height * width} values, not {image.Length}", nameof(image));
        float[] total = new float[NumClasses * height * width];
        var pass = new StreamingPass(network, output, Options, image, height, width, new WindowCounter(OnWindow, Options.CountWindows(height, width)));
        foreach (double scale in Options.Scales)
        {
            foreach (bool flip in Options.Flip ? new[] { false, true } : [false])
                pass.AddInto(total, scale, flip);
        }

        return total;
    }

    /// <summary>Per pixel, the first class with the largest logit; <paramref name="logits"/> is (K, pixels).</summary>
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

    /// <summary>One eval forward of a (3, win, win) window; its (K, win, win) logits.</summary>
    internal static float[] WindowForward(INetwork network, string output, float[] window)
    {
        DeviceData.Upload<float>(network.Image.View, window);
        network.Forward(training: false);
        network.Device.Synchronize();
        return DeviceData.Download<float>(network.Output(output).View);
    }

    /// <summary>One eval forward of a (3, win, win) window; its (K, win, win) logits into <paramref name="logits"/>.</summary>
    internal static void WindowForward(INetwork network, string output, float[] window, float[] logits)
    {
        DeviceData.Upload<float>(network.Image.View, window);
        network.Forward(training: false);
        network.Device.Synchronize();
        DeviceData.Download<float>(network.Output(output).View, logits);
    }
}
