namespace NetSpec.Benchmarks;

/// <summary>
/// Resident-set numbers of this process from /proc/self/status, measured exactly as
/// benchmarks/peer/bench.py measures PyTorch: reset the high-water mark, run, read it.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>(VmRSS, VmHWM) in bytes; (0, 0) where /proc is absent.</summary>
    public static (long Rss, long Peak) Read()
    {
        long rss = 0, hwm = 0;
        if (!File.Exists("/proc/self/status"))
            return (0, 0);
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kib(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                hwm = Kib(line);
        }

        return (rss, hwm);
    }

    /// <summary>Resets VmHWM to the current RSS (write 5 to /proc/self/clear_refs, Linux 4.0+); false where not allowed.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Kib(string line) =>
        long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
