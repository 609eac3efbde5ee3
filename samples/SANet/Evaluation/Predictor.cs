using NetSpec.Runtime;
using NetSpec.Runtime.Prediction;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Augment;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// The sample's view of the runtime's <see cref="SegmentationPredictor"/>: whole <see cref="SegmentationSample"/>s with
/// ImageNet normalisation, sliding windows, scales and flip as <see cref="EvalOptions"/> say.
/// </summary>
public sealed class Predictor(INetwork network, EvalOptions options, string output = "mask")
{
    private readonly SegmentationPredictor predictor = new(network, new PredictionOptions(options.Window, options.Stride, options.Scales, options.Flip), output);

    public int NumClasses => network.NumClasses;

    /// <summary>Called after each window's forward pass (<see cref="SegmentationPredictor.OnWindow"/>): progress inside an image.</summary>
    public Action<WindowProgress>? OnWindow
    {
        get => predictor.OnWindow;
        set => predictor.OnWindow = value;
    }

    /// <summary>Summed logits (K,H,W) at the image's size.</summary>
    public float[] Logits(SegmentationSample sample) =>
        predictor.Logits(Normalisation.ToPlanar(sample.Rgb, sample.Height, sample.Width), sample.Height, sample.Width);

    /// <summary>Class ids (H,W); a single scale without flip streams (no full-image logits).</summary>
    public int[] Predict(SegmentationSample sample) => predictor.PredictClasses(sample.Rgb, sample.Height, sample.Width);

    public static int[] ArgMax(float[] logits, int k, int pixels) => SegmentationPredictor.ArgMax(logits, k, pixels);
}
