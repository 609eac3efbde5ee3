namespace NetSpec.Samples.SANet.Data.Synthetic;

/// <summary>
/// The built-in data: fixed train/val splits of generated scenes (no download). Scenes are generated on
/// demand and cached, so every epoch sees the same images.
/// </summary>
public sealed class SyntheticDataset : ISegmentationDataset
{
    public const int DefaultSize = 96;
    public const int DefaultTrainCount = 400;
    public const int DefaultValCount = 100;

    /// <summary>The data seed is fixed: the splits are part of the product, not of a run.</summary>
    public const ulong DataSeed = 20201;

    private readonly SegmentationSample?[] cache;
    private readonly int split;
    private readonly int size;

    public SyntheticDataset(bool train, int count, int size = DefaultSize)
    {
        split = train ? 0 : 1;
        this.size = size;
        cache = new SegmentationSample?[count];
        Description = $"built-in synthetic {(train ? "train" : "val")} ({Counted.Of(count, "scene")}, {size}×{size}, {Counted.Of(ShapeKind.Names.Length, "class", "classes")})";
    }

    public static SyntheticDataset Train() => new(true, DefaultTrainCount);

    public static SyntheticDataset Val() => new(false, DefaultValCount);

    public string Description { get; }

    public IReadOnlyList<string> ClassNames => ShapeKind.Names;

    public int Count => cache.Length;

    public SegmentationSample Load(int index) =>
        cache[index] ??= SceneGenerator.Generate(DataSeed, split, index, size);
}
