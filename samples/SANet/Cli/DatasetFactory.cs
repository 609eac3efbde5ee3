using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Disk;
using NetSpec.Samples.SANet.Data.Synthetic;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>A spec as the CLI resolved it: its name, class, class count and where it came from for messages.</summary>
public sealed record ResolvedSpec(string Name, string? ClassName, int NumClasses, string Origin, bool IsDefault);

/// <summary>Resolves --spec, --data and --dataset into a spec and train/val datasets.</summary>
public static class DatasetFactory
{
    public static string BuiltIn => "builtin";

    /// <summary>
    /// The specs train picks when --spec is omitted: the first with the dataset's class count, so the built-in data
    /// (6 classes) gets sanet-tiny, voc/voc-aug (21) sanet-tiny-voc, context (59) sanet-r50, and a folder dataset
    /// whichever matches its --classes.
    /// </summary>
    public static readonly string[] DefaultSpecs = [SpecFile.DefaultSpec, "sanet-tiny-voc", "sanet-r50"];

    /// <summary>
    /// --spec (a file, or a compiled spec's name), or the default spec for a dataset of <paramref name="classes"/>
    /// classes; a spec whose class count differs from the dataset's is a usage error that names the spec to pass.
    /// </summary>
    public static ResolvedSpec Spec(string? specOption, ISegmentationDataset train)
    {
        int classes = train.ClassNames.Count;
        if (specOption is null)
        {
            foreach (string name in DefaultSpecs)
            {
                if (EmbeddedSpecs.FindWithPath(name) is { } found && found.Spec.NumClasses == classes)
                    return new ResolvedSpec(found.Spec.Name, found.Spec.ClassName, classes, found.Path, IsDefault: true);
            }

            throw new UsageException($"{train.Description}: no default spec has {classes} classes; {PassSpec(classes)}");
        }

        var (spec, origin) = SpecFile.Resolve(specOption);
        if (spec.NumClasses != classes)
            throw new UsageException($"--spec {specOption}: {spec.Name} predicts {spec.NumClasses} classes but {train.Description} has {classes}; {PassSpec(classes)}");
        return new ResolvedSpec(spec.Name, spec.ClassName, spec.NumClasses, origin, IsDefault: false);
    }

    /// <summary>One clause saying which --spec fits <paramref name="classes"/> classes, or how to make one.</summary>
    public static string PassSpec(int classes)
    {
        string[] fitting = EmbeddedSpecs.All().Where(s => s.Spec.NumClasses == classes && NetworkRegistry.IsCompiled(s.Spec.Name))
            .Select(s => s.Spec.Name).Order(StringComparer.Ordinal).ToArray();
        return fitting.Length > 0
            ? $"pass --spec {string.Join(" or --spec ", fitting)}"
            : $"no spec compiled into this build has {classes} classes: add one to samples/SANet/Specs/ (as sanet-tiny-voc.yaml: 'extends: ../../../specs/sanet-tiny.yaml' and 'classes: {classes}'), rebuild, and pass --spec with its name";
    }

    public static string Kind(DatasetSettings s)
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

    public static ISegmentationDataset Open(DatasetSettings s, bool train) => Open(Kind(s), s.Data, train, s.Classes);

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
