using System.Text;

namespace NetSpec.Samples.SANet.Data;

/// <summary>
/// A class-names file (<c>--class-names FILE</c>, or <c>classes.txt</c> in a folder dataset's root): one name a line,
/// in class-id order, UTF-8. Every name is trimmed and must be non-empty, printable (no control characters), at most
/// <see cref="MaxNameLength"/> characters and unique; the count must equal the classes expected (the spec's). A final
/// newline is optional. Errors name the file and the line.
/// </summary>
public static class ClassNamesFile
{
    public const string FolderFileName = "classes.txt";

    public const int MaxNameLength = 100;

    /// <summary>255 names of 100 characters: far under 64 KiB once bytes and newlines are counted.</summary>
    private const long MaxBytes = 256 * 1024;

    /// <param name="expected">The class count the names must match, or null to take the file's count.</param>
    /// <param name="expectedWhat">What decides <paramref name="expected"/>, for the message (e.g. "spec sanet-tiny", "--classes 6").</param>
    public static string[] Read(string path, int? expected, string expectedWhat)
    {
        string text = Encoding.UTF8.GetString(UntrustedFile.ReadAll(path, MaxBytes, problem => new DataException($"{path}: {problem}"))).TrimStart('\uFEFF');
        string[] lines = text.Split('\n');
        if (lines.Length > 1 && lines[^1].Length == 0)
            lines = lines[..^1]; // the final newline
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new string[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string name = lines[i].Trim();
            int line = i + 1;
            if (name.Length == 0)
                throw new DataException($"{path}:{line}: empty class name (one name a line, in class-id order)");
            if (name.Any(char.IsControl))
                throw new DataException($"{path}:{line}: class name holds a control character");
            if (name.Length > MaxNameLength)
                throw new DataException($"{path}:{line}: class name of {name.Length} characters, more than the {MaxNameLength} allowed");
            if (seen.TryGetValue(name, out int first))
                throw new DataException($"{path}:{line}: class name '{name}' is also on line {first}; names must be unique");
            seen[name] = line;
            names[i] = name;
        }

        if (expected is { } count && names.Length != count)
            throw new DataException($"{path}: {names.Length} class name(s) for {count} classes ({expectedWhat})");
        return names;
    }
}
