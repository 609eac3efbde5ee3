using NetSpec.Runtime.Weights;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// Checks a training run's --work-dir before anything is trained: not a file, creatable, writable (a probe
/// file is created, flushed to disk and deleted, so a read-only or full disk stops the run at once rather than
/// at its first checkpoint), and clears the temporary files a killed save left behind.
/// </summary>
public static class WorkDir
{
    public static void RefuseFile(string path)
    {
        if (File.Exists(path))
            throw new CheckpointException($"--work-dir {path}: is a file, not a folder");
    }

    /// <summary>Creates the folder, proves it writable and removes stale <c>*.tmp-*</c> files; returns their names.</summary>
    public static List<string> PrepareForWriting(string path)
    {
        RefuseFile(path);
        string probe = Path.Combine(path, $".write-probe{AtomicFile.TempMarker}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(path);
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(new byte[4096]);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
            var stale = Directory.GetFiles(path, $"*{AtomicFile.TempMarker}*").Order(StringComparer.Ordinal).ToList();
            foreach (string file in stale)
                File.Delete(file);
            return stale.Select(Path.GetFileName).ToList()!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"--work-dir {path}: cannot write there ({e.Message})");
        }
    }
}
