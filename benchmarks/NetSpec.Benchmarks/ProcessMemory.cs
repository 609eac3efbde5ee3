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

    /// <summary>Fraction of all CPUs idle over <paramref name="span"/> (from /proc/stat), to record how busy the machine was; -1 without /proc.</summary>
    public static double IdleFraction(TimeSpan span)
    {
        if (!File.Exists("/proc/stat"))
            return -1;
        (long idle0, long total0) = Snap();
        Thread.Sleep(span);
        (long idle1, long total1) = Snap();
        return (double)(idle1 - idle0) / Math.Max(1, total1 - total0);

        static (long Idle, long Total) Snap()
        {
            long[] v = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(x => long.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return (v[3] + v[4], v.Sum());
        }
    }
}
