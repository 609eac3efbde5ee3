using NetSpec.Samples.SANet.Data;

namespace NetSpec.Samples.SANet.Evaluation;

/// <summary>Predicts every image of a dataset and sums one confusion matrix over the set.</summary>
public static class DatasetEvaluator
{
    public static ConfusionMatrix Run(Predictor predictor, ISegmentationDataset dataset, Action<int, int>? progress = null)
    {
        var matrix = new ConfusionMatrix(predictor.NumClasses);
        for (int i = 0; i < dataset.Count; i++)
        {
            SegmentationSample sample = dataset.Load(i);
            int[] predicted = predictor.Predict(sample);
            int[] truth = sample.Labels.Select(b => (int)b).ToArray();
            matrix.Add(truth, predicted);
            progress?.Invoke(i + 1, dataset.Count);
        }

        return matrix;
    }
}
