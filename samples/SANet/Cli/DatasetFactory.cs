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
        "folder" => DatasetLayouts.Folder(root!, train, folderClasses ?? throw new UsageException("--dataset folder needs --classes N")),
        _ => train ? SyntheticDataset.Train() : SyntheticDataset.Val(),
    };
}
