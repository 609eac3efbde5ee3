namespace NetSpec.Samples.SANet.Cli;

/// <summary>The two files predict writes for one input image.</summary>
public sealed record PredictOutput(string Input, string Label, string Overlay);

/// <summary>
/// Names predict's outputs before anything is written: <c>stem.png</c> (class ids) and <c>stem_overlay.png</c>,
/// with <c>stem~2</c>, <c>stem~3</c>, … where two inputs would share a name (<c>x.png</c> and <c>x.jpg</c>; <c>x.png</c>
/// and <c>x_overlay.png</c>) or where a name is an input. Refuses an --out that is a file, a symbolic link or the
/// input folder, and outputs that exist already unless --overwrite (never a folder or an input).
/// </summary>
public static class PredictOutputs
{
    public static IReadOnlyList<PredictOutput> Plan(string input, IReadOnlyList<string> inputs, string outDir, bool overwrite)
    {
        if (File.Exists(outDir))
            throw new UsageException($"--out {outDir}: is a file; give a folder");
        if (IsLink(outDir))
            throw new UsageException($"--out {outDir}: is a symbolic link; give a real folder (predict never writes through links)");
        string outFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDir));
        if (Directory.Exists(input) && SameFolder(outFull, input))
            throw new UsageException($"--out {outDir}: is the --input folder; give another folder, so the predictions cannot replace or mix with the images");

        var taken = new HashSet<string>(inputs.Select(Path.GetFullPath), StringComparer.OrdinalIgnoreCase);
        var plan = new List<PredictOutput>();
        foreach (string image in inputs)
        {
            string stem = Path.GetFileNameWithoutExtension(image);
            string label, overlay;
            for (int n = 1; ; n++)
            {
                string name = n == 1 ? stem : $"{stem}~{n}";
                (label, overlay) = (Path.Combine(outFull, name + ".png"), Path.Combine(outFull, name + "_overlay.png"));
                if (!taken.Contains(label) && !taken.Contains(overlay))
                    break;
            }

            taken.Add(label);
            taken.Add(overlay);
            plan.Add(new PredictOutput(image, label, overlay));
        }

        foreach (string path in plan.SelectMany(p => new[] { p.Label, p.Overlay }))
        {
            if (Directory.Exists(path))
                throw new UsageException($"{path}: a folder is in the way of predict's output");
            if (!overwrite && (File.Exists(path) || IsLink(path)))
                throw new UsageException($"{path}: exists already; pass --overwrite to replace it, or choose another --out");
        }

        return plan;
    }

    /// <summary>A symbolic link, dangling or not (File.Exists follows links, so a dangling one reads as absent).</summary>
    public static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool SameFolder(string outFull, string inputDir)
    {
        string inputFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(inputDir));
        string inputReal = Directory.ResolveLinkTarget(inputFull, returnFinalTarget: true)?.FullName ?? inputFull;
        return string.Equals(outFull, inputFull, StringComparison.Ordinal) || string.Equals(outFull, Path.TrimEndingDirectorySeparator(inputReal), StringComparison.Ordinal);
    }
}
