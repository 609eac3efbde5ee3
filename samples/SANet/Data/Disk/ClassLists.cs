namespace NetSpec.Samples.SANet.Data.Disk;

/// <summary>Class names of the datasets the sample reads.</summary>
public static class ClassLists
{
    public static readonly string[] Voc =
    [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    /// <summary>The 59 PASCAL Context classes (background, file value 0, is ignored).</summary>
    public static readonly string[] Context =
    [
        "aeroplane", "bag", "bed", "bedclothes", "bench", "bicycle", "bird", "boat", "book", "bottle", "building",
        "bus", "cabinet", "car", "cat", "ceiling", "chair", "cloth", "computer", "cow", "cup", "curtain", "dog",
        "door", "fence", "floor", "flower", "food", "grass", "ground", "horse", "keyboard", "light", "motorbike",
        "mountain", "mouse", "person", "plate", "platform", "pottedplant", "road", "rock", "sheep", "shelves",
        "sidewalk", "sign", "sky", "snow", "sofa", "table", "track", "train", "tree", "truck", "tvmonitor", "wall",
        "water", "window", "wood",
    ];

    public static string[] Numbered(int count) => Enumerable.Range(0, count).Select(i => $"class{i}").ToArray();
}
