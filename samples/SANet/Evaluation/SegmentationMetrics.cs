namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// pixAcc and per-class IoU from a confusion matrix summed over the set. mIoU is the mean over all K classes,
/// as PyTorch-Encoding computes it (a class absent from both truth and prediction counts as IoU 0).
/// </summary>
public sealed record SegmentationMetrics(double PixelAccuracy, IReadOnlyList<double> ClassIou)
{
    public double MeanIou => ClassIou.Count == 0 ? 0 : ClassIou.Average();

    /// <summary>PASCAL Context's 60-class convention (Table 2): mIoU₅₉ × 59/60, background counted as 0.</summary>
    public double MeanIou60 => MeanIou * ClassIou.Count / (ClassIou.Count + 1);
}
