namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Writes a new file without following links: the bytes go to a fresh temporary file in the same folder (created
/// with CreateNew, which fails on any existing entry, links included), then a rename puts it in place. A rename
/// replaces a symbolic link itself rather than writing where it points; without overwrite it fails if the name exists.
/// </summary>
public static class OutputFile
{
    public static void Write(string path, byte[] bytes, bool overwrite)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                file.Write(bytes);
            File.Move(temporary, path, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new UsageException($"{path}: cannot write it ({e.Message})");
        }
    }

    /// <summary>Creates <paramref name="folder"/> (and its parents); a file in the way or no permission names the option.</summary>
    public static void CreateFolder(string folder, string option)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {folder}: cannot create this folder ({e.Message})");
        }
    }
}
