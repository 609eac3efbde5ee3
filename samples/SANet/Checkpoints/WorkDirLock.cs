using System.Globalization;
using NetSpec.Runtime.Weights;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// Holds a training run's --work-dir for the whole run, so that two runs never write into one folder: an OS lock on
/// <see cref="LockName"/> (a FileStream with FileShare.None: flock on Linux and macOS, a sharing lock on Windows) that the
/// OS releases when the process ends however it ends, so a killed run's lock blocks nobody. The lock file stays; the
/// holder's pid is written beside it in <see cref="HolderName"/> (a held lock file cannot be read) and removed on a clean
/// release. Only rank 0 of a run across processes takes it; eval and predict read checkpoints and take none.
/// </summary>
public sealed class WorkDirLock : IDisposable
{
    public const string LockName = ".train.lock";
    public const string HolderName = ".train.pid";

    private readonly FileStream held;
    private readonly string workDir;
    private readonly bool createdFolder;
    private bool released;

    private WorkDirLock(FileStream held, string workDir, bool createdFolder)
    {
        this.held = held;
        this.workDir = workDir;
        this.createdFolder = createdFolder;
    }

    private string HolderPath => Path.Combine(workDir, HolderName);

    /// <summary>Creates the folder if needed and locks it; a <see cref="CheckpointException"/> when another run holds it.</summary>
    public static WorkDirLock Acquire(string workDir)
    {
        WorkDir.RefuseFile(workDir);
        string lockPath = Path.Combine(workDir, LockName), holderPath = Path.Combine(workDir, HolderName);
        FileStream stream;
        bool created = !Directory.Exists(workDir);
        try
        {
            Directory.CreateDirectory(workDir);
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new CheckpointException(
                $"--work-dir {workDir}: another train run ({Holder(holderPath)}) is writing there; wait for it to end, or choose another --work-dir");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"--work-dir {workDir}: cannot write there ({e.Message})");
        }

        try
        {
            File.WriteAllText(holderPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            return new WorkDirLock(stream, workDir, created);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stream.Dispose();
            throw new CheckpointException($"--work-dir {workDir}: cannot write there ({e.Message})");
        }
    }

    /// <summary>Removes the pid file, then releases the lock (the lock file stays: deleting it could let two runs lock two files).</summary>
    public void Dispose()
    {
        if (released)
            return;
        released = true;
        TryDelete(HolderPath);
        held.Dispose();
    }

    /// <summary>
    /// A start that was refused before the run wrote anything: when this lock created the folder and it holds nothing
    /// but the lock and pid files, removes them and the folder (still holding the lock), so that the refusal leaves no
    /// trace; then releases as <see cref="Dispose"/>. A run that opened the lock file in the instant before it was removed
    /// then gets the lock of a file that is in no folder: its pid file cannot be written into the removed folder, so it
    /// stops with "cannot write there". A folder that existed before keeps its lock file.
    /// </summary>
    public void ReleaseRefused()
    {
        if (released)
            return;
        if (createdFolder && OnlyLockFilesIn(workDir))
        {
            TryDelete(HolderPath);
            TryDelete(Path.Combine(workDir, LockName));
            try
            {
                Directory.Delete(workDir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // something appeared in it meanwhile: it stays
            }
        }

        Dispose();
    }

    private static bool OnlyLockFilesIn(string folder)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).All(n => n is LockName or HolderName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a stale pid file misleads nobody: the next run that gets the lock rewrites it
        }
    }

    // a sharing violation: EWOULDBLOCK from flock on Linux (11) and macOS (35), ERROR_SHARING_VIOLATION/ERROR_LOCK_VIOLATION on Windows
    private static bool IsHeldElsewhere(IOException e) => e.GetType() == typeof(IOException) && (e.HResult is 11 or 35 || (e.HResult & 0xFFFF) is 32 or 33);

    private static string Holder(string holderPath)
    {
        try
        {
            string text = File.ReadAllText(holderPath).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? $"pid {pid}" : "pid unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "pid unknown";
        }
    }
}
