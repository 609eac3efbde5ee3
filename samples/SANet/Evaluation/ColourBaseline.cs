using NetSpec.Samples.SANet.Data;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>
/// The best a colour rule can do: RGB quantised to <see cref="Bits"/> bits a channel, each bin → the
/// majority class of its training pixels (unseen bins → the overall majority). A dataset whose classes
/// differ in shape and texture should defeat it.
/// </summary>
public sealed class ColourBaseline
{
    public const int Bits = 4;
    private readonly int[] binClass;

    private ColourBaseline(int[] binClass) => this.binClass = binClass;

    public static ColourBaseline Fit(ISegmentationDataset train, int numClasses)
    {
        int bins = 1 << (3 * Bits);
        long[] counts = new long[bins * numClasses];
        long[] totals = new long[numClasses];
        for (int i = 0; i < train.Count; i++)
        {
            SegmentationSample s = train.Load(i);
            for (int p = 0; p < s.Labels.Length; p++)
            {
                int label = s.Labels[p];
                if (label >= numClasses)
                    continue;
                counts[(Bin(s.Rgb, p) * numClasses) + label]++;
                totals[label]++;
            }
        }

        int fallback = Array.IndexOf(totals, totals.Max());
        int[] binClass = new int[bins];
        for (int b = 0; b < bins; b++)
        {
            long best = 0;
            binClass[b] = fallback;
            for (int k = 0; k < numClasses; k++)
            {
                if (counts[(b * numClasses) + k] > best)
                {
                    best = counts[(b * numClasses) + k];
                    binClass[b] = k;
                }
            }
        }

        return new ColourBaseline(binClass);
    }

    public ConfusionMatrix Evaluate(ISegmentationDataset val, int numClasses)
    {
        var matrix = new ConfusionMatrix(numClasses);
        for (int i = 0; i < val.Count; i++)
        {
            SegmentationSample s = val.Load(i);
            int[] truth = s.Labels.Select(b => (int)b).ToArray();
            int[] predicted = Enumerable.Range(0, truth.Length).Select(p => binClass[Bin(s.Rgb, p)]).ToArray();
            matrix.Add(truth, predicted);
        }

        return matrix;
    }

    private static int Bin(byte[] rgb, int pixel)
    {
        int shift = 8 - Bits;
        return ((rgb[pixel * 3] >> shift) << (2 * Bits)) | ((rgb[(pixel * 3) + 1] >> shift) << Bits) | (rgb[(pixel * 3) + 2] >> shift);
    }
}
