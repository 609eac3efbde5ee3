namespace NetSpec.Samples.SANet.Data;

/// <summary>A dataset under other class names (from <see cref="ClassNamesFile"/>); the samples are the inner one's.</summary>
public sealed class NamedClasses(ISegmentationDataset inner, IReadOnlyList<string> names) : ISegmentationDataset
{
    public string Description => inner.Description;

    public IReadOnlyList<string> ClassNames { get; } = names.Count == inner.ClassNames.Count
        ? names
        : throw new DataException($"{names.Count} class names for {inner.Description}, which has {inner.ClassNames.Count} classes");

    public int Count => inner.Count;

    public SegmentationSample Load(int index) => inner.Load(index);
}
