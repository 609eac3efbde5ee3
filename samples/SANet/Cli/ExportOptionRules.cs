using System.Globalization;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>The export command's options (<see cref="OptionRules"/> holds the others).</summary>
public static partial class OptionRules
{
    /// <summary>"480" → (480, 480); "480x640" or "480,640" → (480, 640); null → the spec's sizes.</summary>
    public static (int? Height, int? Width) ExportSize(string? text)
    {
        if (text is null)
            return (null, null);
        string[] parts = text.Split('x', 'X', ',');
        if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            throw new UsageException($"--size {text}: give H or HxW, e.g. 480 or 480x640");
        int h = int.Parse(parts[0], CultureInfo.InvariantCulture), w = int.Parse(parts[^1], CultureInfo.InvariantCulture);
        foreach (int side in new[] { h, w })
        {
            if (side < 1 || side > MaxSize)
                throw new UsageException($"--size {text}: each side must be in 1..{MaxSize}");
        }

        return (h, w);
    }

    /// <summary>The --onnx file: not a folder, not an existing entry (a link included) unless --force, in a folder that exists.</summary>
    public static void OnnxOutput(string path, bool force)
    {
        var info = new FileInfo(path);
        if (Directory.Exists(path) && info.LinkTarget is null)
            throw new UsageException($"--onnx {path}: is a folder; give a file name");
        if (!force && (info.Exists || info.LinkTarget is not null || Directory.Exists(path)))
            throw new UsageException($"--onnx {path}: exists already{(info.LinkTarget is not null ? " (a symbolic link)" : "")}; pass --force to replace it");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder))
            throw new UsageException($"--onnx {path}: folder {folder} does not exist");
    }
}
