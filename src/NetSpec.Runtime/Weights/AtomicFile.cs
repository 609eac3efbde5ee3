namespace NetSpec.Runtime.Weights;

/// <summary>
/// Writes a file so that readers see the old content or the new, never a part: the bytes go to a temporary
/// file (<c>NAME.tmp-PID-GUID</c>) in the same folder, are flushed to disk, and the temporary file is renamed
/// over the target. On a failure the temporary file is deleted and the target is left as it was; a kill leaves
/// at most a stale temporary file (the SANet sample's WorkDir removes those before the next run).
/// I/O errors (disk full, no permission) become a <see cref="CheckpointException"/> naming the file.
/// The optional <c>reached</c> callback is called at each step (a test hook: the SANet sample's fault points).
/// </summary>
public static class AtomicFile
{
    /// <summary>What a temporary file's name holds after the target's name.</summary>
    public const string TempMarker = ".tmp-";

    /// <summary>Writes <paramref name="path"/> atomically with <paramref name="write"/>; <paramref name="reached"/> is called at each step.</summary>
    public static void Write(string path, Action<Stream> write, Action<string>? reached = null)
    {
        string full = Path.GetFullPath(path);
        string name = Path.GetFileName(full);
        string temp = $"{full}{TempMarker}{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                reached?.Invoke($"{name}: temporary file created");
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            reached?.Invoke($"{name}: written and flushed, not yet renamed");
            File.Move(temp, full, overwrite: true);
            reached?.Invoke($"{name}: renamed into place");
        }
        catch (Exception e)
        {
            TryDelete(temp);
            if (e is IOException or UnauthorizedAccessException)
                throw new CheckpointException($"{full}: cannot write ({e.Message})");
            throw;
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error is the one to report; a leftover temporary file is swept at the next start.
        }
    }
}
