namespace NetSpec.Samples.SANet.Data;

/// <summary>
/// Reads a file named by a user (image, label, spec) without trusting it: only a regular file with at least one
/// byte and at most a cap is opened. A FIFO, a character device (<c>/dev/zero</c>) or a <c>/proc</c> file reports
/// a length of 0, so the length check refuses them before <c>open</c>, which on a FIFO would block.
/// </summary>
public static class UntrustedFile
{
    /// <summary>Why <paramref name="path"/> may not be read (a phrase to follow "path: "), or null when it may.</summary>
    public static string? Problem(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            return Directory.Exists(path) ? "is a folder, not a file" : "not found";
        long length = info.Length;
        if (length == 0)
            return "is empty or not a regular file (a FIFO, a device)";
        return length > maxBytes ? $"is {length:N0} bytes, more than the {maxBytes:N0} allowed" : null;
    }

    /// <summary>The whole file, or an exception made by <paramref name="error"/> from the file's problem.</summary>
    public static byte[] ReadAll(string path, long maxBytes, Func<string, Exception> error)
    {
        if (Problem(path, maxBytes) is { } problem)
            throw error(problem);
        byte[] bytes = File.ReadAllBytes(path);
        return bytes.Length > maxBytes ? throw error($"grew past {maxBytes:N0} bytes while being read") : bytes;
    }
}
