namespace NetSpec.Samples.SANet.Data.Disk;

/// <summary>
/// Finds the files of each on-disk layout. Each method accepts the dataset root or a parent of it
/// (e.g. <c>data/</c> holding <c>VOCdevkit/</c>) and names the folder or list it expected when one is missing.
/// </summary>
public static class DatasetLayouts
{
    public static DiskDataset Voc(string root, bool train, bool augmented)
    {
        string voc = FindDir(root, ["VOCdevkit/VOC2012", "VOC2012", "."], "JPEGImages", "PASCAL VOC 2012 (VOCdevkit/VOC2012/JPEGImages)");
        string labels = Path.Combine(voc, augmented ? "SegmentationClassAug" : "SegmentationClass");
        if (!Directory.Exists(labels))
            throw new DataException($"{labels}: folder not found ({(augmented ? "voc-aug needs SegmentationClassAug" : "VOC label PNGs")})");
        string split = train ? "train" : "val";
        string listDir = Path.Combine(voc, "ImageSets", "Segmentation");
        string list = Path.Combine(listDir, augmented && train && File.Exists(Path.Combine(listDir, "trainaug.txt")) ? "trainaug.txt" : $"{split}.txt");
        var files = ReadList(list, stem => new LabelledFile(
            stem, Path.Combine(voc, "JPEGImages", stem + ".jpg"), Path.Combine(labels, stem + ".png")));
        return new DiskDataset($"voc{(augmented ? "-aug" : "")} {split} ({Counted.Of(files.Count, "image")}, {voc})", ClassLists.Voc, files);
    }

    /// <summary>PASCAL Context: 59 classes; file value 0 (background) becomes ignore, the others shift down by one.</summary>
    public static DiskDataset Context(string root, bool train)
    {
        string dir = FindDir(root, ["VOCdevkit/VOC2010", "VOC2010", "."], "JPEGImages", "PASCAL Context (VOC2010/JPEGImages)");
        string labels = new[] { "SegmentationClassContext", "Context", "labels" }
            .Select(n => Path.Combine(dir, n)).FirstOrDefault(Directory.Exists)
            ?? throw new DataException($"{dir}: no Context label folder (expected SegmentationClassContext/, Context/ or labels/ with 59-class PNGs)");
        string split = train ? "train" : "val";
        string list = new[] { Path.Combine(dir, "ImageSets", "SegmentationContext", $"{split}.txt"), Path.Combine(dir, $"{split}.txt") }
            .FirstOrDefault(File.Exists)
            ?? throw new DataException($"{dir}: no {split} list (expected ImageSets/SegmentationContext/{split}.txt)");
        var files = ReadList(list, stem => new LabelledFile(
            stem, Path.Combine(dir, "JPEGImages", stem + ".jpg"), Path.Combine(labels, stem + ".png")));
        return new DiskDataset($"context {split} ({Counted.Of(files.Count, "image")}, {dir})", ClassLists.Context, files,
            v => v == 0 || v == 255 ? (byte)255 : (byte)(v - 1), fileClasses: 60);
    }

    /// <summary>A folder with <c>images/</c> and <c>labels/</c> (same stems), optionally split into train/ and val/.</summary>
    public static DiskDataset Folder(string root, bool train, int numClasses)
    {
        string split = train ? "train" : "val";
        string dir = Directory.Exists(Path.Combine(root, split, "images")) ? Path.Combine(root, split) : root;
        string images = Path.Combine(dir, "images"), labels = Path.Combine(dir, "labels");
        if (!Directory.Exists(images) || !Directory.Exists(labels))
            throw new DataException($"{root}: expected images/ and labels/ (or {split}/images and {split}/labels)");
        var files = Directory.EnumerateFiles(images)
            .Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f =>
            {
                string stem = Path.GetFileNameWithoutExtension(f);
                string label = Path.Combine(labels, stem + ".png");
                return File.Exists(label) ? new LabelledFile(stem, f, label) : throw new DataException($"{f}: no label file {label}");
            })
            .ToList();
        if (files.Count == 0)
            throw new DataException($"{images}: no .jpg/.jpeg/.png images");
        return new DiskDataset($"folder {split} ({Counted.Of(files.Count, "image")}, {dir})", ClassLists.Numbered(numClasses), files);
    }

    private static string FindDir(string root, string[] candidates, string marker, string what)
    {
        if (!Directory.Exists(root))
            throw new DataException($"{root}: data folder not found");
        return candidates.Select(c => Path.GetFullPath(Path.Combine(root, c)))
            .FirstOrDefault(c => Directory.Exists(Path.Combine(c, marker)))
            ?? throw new DataException($"{root}: not a {what} folder");
    }

    private static List<LabelledFile> ReadList(string list, Func<string, LabelledFile> file)
    {
        if (!File.Exists(list))
            throw new DataException($"{list}: split list not found");
        var files = new List<LabelledFile>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(list))
        {
            lineNumber++;
            string stem = line.Trim();
            if (stem.Length == 0)
                continue;
            LabelledFile f = file(stem);
            if (!File.Exists(f.ImagePath))
                throw new DataException($"{list}:{lineNumber}: image {f.ImagePath} not found");
            if (!File.Exists(f.LabelPath))
                throw new DataException($"{list}:{lineNumber}: label {f.LabelPath} not found");
            files.Add(f);
        }

        if (files.Count == 0)
            throw new DataException($"{list}: the list is empty");
        return files;
    }
}
