namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// Counts (true class, predicted class) over every non-ignored pixel of a set, summed over images
/// (docs/sanet.md §8): the metrics are computed once from the totals, not averaged per image.
/// </summary>
public sealed class ConfusionMatrix(int numClasses)
{
    private readonly long[] counts = new long[numClasses * numClasses];

    public int NumClasses { get; } = numClasses;

    public long this[int truth, int predicted] => counts[(truth * NumClasses) + predicted];

    public void Add(int truth, int predicted, long count = 1) => counts[(truth * NumClasses) + predicted] += count;

    /// <summary>Adds one label map against its prediction; labels outside 0..K−1 (255) are ignored.</summary>
    public void Add(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        for (int i = 0; i < truth.Length; i++)
        {
            int t = truth[i];
            if (t >= 0 && t < NumClasses)
                counts[(t * NumClasses) + predicted[i]]++;
        }
    }

    public void Add(ConfusionMatrix other)
    {
        for (int i = 0; i < counts.Length; i++)
            counts[i] += other.counts[i];
    }

    public SegmentationMetrics Metrics()
    {
        long correct = 0, labelled = 0;
        double[] iou = new double[NumClasses];
        for (int k = 0; k < NumClasses; k++)
        {
            long tp = this[k, k], truthK = 0, predictedK = 0;
            for (int j = 0; j < NumClasses; j++)
            {
                truthK += this[k, j];
                predictedK += this[j, k];
            }

            correct += tp;
            labelled += truthK;
            long union = truthK + predictedK - tp;
            iou[k] = union == 0 ? 0 : (double)tp / union;
        }

        return new SegmentationMetrics(labelled == 0 ? 0 : (double)correct / labelled, iou);
    }
}
