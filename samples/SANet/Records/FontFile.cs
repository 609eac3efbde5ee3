namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// A TrueType font for the plot's text. The sample's Skia build (SkiaSharp.NativeAssets.Linux.NoDependencies) has no
/// font manager on Linux, so a plot draws no text unless a font file is given to it: the first of the usual sans
/// fonts found in the usual font folders, else any <c>.ttf</c> there.
/// </summary>
public static class FontFile
{
    private static readonly string[] Preferred = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "Arial.ttf", "arial.ttf", "Helvetica.ttc"];

    public static string? Find()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] folders =
        [
            "/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".fonts"), Path.Combine(home, ".local/share/fonts"),
            "/System/Library/Fonts", "/Library/Fonts", Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
        ];
        var present = folders.Where(f => f.Length > 0 && Directory.Exists(f)).ToList();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 };
        foreach (string name in Preferred)
        {
            foreach (string folder in present)
            {
                if (Directory.EnumerateFiles(folder, name, options).FirstOrDefault() is { } file)
                    return file;
            }
        }

        return present.Select(f => Directory.EnumerateFiles(f, "*.ttf", options).FirstOrDefault()).FirstOrDefault(f => f is not null);
    }
}
