using System.Collections.Generic;

namespace NetSpec.Dsl.Parsing;

/// <summary>Path arithmetic on '/'-separated text (no file system access: the generator has none).</summary>
public static class PathText
{
    public static string Folder(string path)
    {
        int slash = path.Replace('\\', '/').LastIndexOf('/');
        return slash < 0 ? "" : path.Substring(0, slash + 1);
    }

    public static string FileName(string path) => path.Substring(Folder(path).Length);

    public static string Combine(string folder, string relative) => Normalize(folder + relative);

    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/'))
        {
            if (part == "." || (part.Length == 0 && parts.Count > 0))
                continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
                parts.RemoveAt(parts.Count - 1);
            else
                parts.Add(part);
        }

        return string.Join("/", parts);
    }
}
