namespace NetSpec.Samples.SANet.Data;

/// <summary>The first <paramref name="count"/> samples of a dataset (a quicker validation during training).</summary>
public sealed class FirstImages(ISegmentationDataset inner, int count) : ISegmentationDataset
{
    public string Description => $"{inner.Description}, first {Count}";

    public IReadOnlyList<string> ClassNames => inner.ClassNames;

    public int Count { get; } = Math.Min(count, inner.Count);

    public SegmentationSample Load(int index) => inner.Load(index);
}
