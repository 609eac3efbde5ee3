using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Disk;
using NetSpec.Samples.SANet.Data.Synthetic;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>Resolves --spec, --data and --dataset into a spec name and train/val datasets.</summary>
public static class DatasetFactory
{
    public static string BuiltIn => "builtin";

    /// <summary>The spec's name and class (from the file through the front end), and where it came from for messages.</summary>
    public static (string Name, string? ClassName, string Origin) Spec(string? specPath)
    {
        if (specPath is null)
            return (SpecFile.DefaultSpec, null, $"specs/{SpecFile.DefaultSpec}.yaml");
        var spec = SpecFile.Expand(specPath);
        return (spec.Name, spec.ClassName, specPath);
    }

    public static string Kind(DataSettings s)
    {
        if (s.Data is null)
        {
            if (s.Dataset is not null && s.Dataset != BuiltIn)
                throw new UsageException($"--dataset {s.Dataset} needs --data DIR");
            return BuiltIn;
        }

        string kind = s.Dataset ?? "voc";
        return kind is "voc" or "voc-aug" or "context" or "folder"
            ? kind
            : throw new UsageException($"--dataset '{kind}': use voc, voc-aug, context or folder");
    }

    public static ISegmentationDataset Open(DataSettings s, bool train) => Open(Kind(s), s.Data, train, s.Classes);

    public static ISegmentationDataset Open(string kind, string? root, bool train, int? folderClasses) => kind switch
    {
        "voc" => DatasetLayouts.Voc(root!, train, augmented: false),
        "voc-aug" => DatasetLayouts.Voc(root!, train, augmented: train),
        "context" => DatasetLayouts.Context(root!, train),
        "folder" => Folder(root!, train, folderClasses),
        _ => train ? SyntheticDataset.Train() : SyntheticDataset.Val(),
    };

    /// <summary>A folder dataset, named by <c>classes.txt</c> in its root when there is one (its count is --classes' default).</summary>
    private static ISegmentationDataset Folder(string root, bool train, int? classes)
    {
        string namesFile = Path.Combine(root, ClassNamesFile.FolderFileName);
        if (!File.Exists(namesFile))
            return DatasetLayouts.Folder(root, train, classes ?? throw new UsageException($"--dataset folder needs --classes N (or a {ClassNamesFile.FolderFileName} in its root)"));
        string[] names = ClassNamesFile.Read(namesFile, classes, $"--classes {classes}");
        return new NamedClasses(DatasetLayouts.Folder(root, train, names.Length), names);
    }

    /// <summary>Where the dataset's class names come from, for the run's record.</summary>
    public static string ClassNamesFrom(string kind, string? root, string? classNamesFile) =>
        classNamesFile is not null ? $"--class-names {Path.GetFullPath(classNamesFile)}"
        : kind == "folder" && File.Exists(Path.Combine(root!, ClassNamesFile.FolderFileName)) ? Path.GetFullPath(Path.Combine(root!, ClassNamesFile.FolderFileName))
        : kind == "folder" ? "numbered (class0, class1, …)"
        : $"built in ({kind})";

    /// <summary>The classes of spec <paramref name="specName"/>: from its file, or the compiled-in spec; null if neither is known.</summary>
    public static int? SpecClasses(string? specPath, string specName) =>
        specPath is not null ? SpecFile.Expand(specPath).NumClasses : EmbeddedSpecs.Find(specName)?.NumClasses;

    /// <summary>The dataset under the names read from <paramref name="file"/> (--class-names), or as it is when null.</summary>
    public static ISegmentationDataset Rename(ISegmentationDataset dataset, string[]? names, string? file) =>
        names is null ? dataset
        : names.Length == dataset.ClassNames.Count ? new NamedClasses(dataset, names)
        : throw new DataException($"{file}: {names.Length} class names, but {dataset.Description} has {dataset.ClassNames.Count} classes");
}
