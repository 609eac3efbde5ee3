using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetSpec.Runtime;
using NetSpec.Runtime.Distributed;

namespace NetSpec.Benchmarks;

/// <summary>
/// --allreduce: times MPI all-reduce (sum) of one network's gradient count between the ranks of an mpirun launch,
/// the way data-parallel training averages gradients. Rank 0 prints a table and one JSON line.
///
///   mpirun -np 2 dotnet benchmarks/NetSpec.Benchmarks/bin/Release/net10.0/NetSpec.Benchmarks.dll
///       --allreduce [--net sanet-r50 | --floats N] [--repeats 10] [--warmup 2] [--bucket-mb 25]
///
/// Each repeat is timed on every rank from a barrier to the end of its all-reduce; the slowest rank's time is the
/// step's (MPI_Allreduce of the times, max taken on the host). Two cases: the whole buffer in one call, and the
/// buffer as consecutive buckets of --bucket-mb (PyTorch DDP's default is 25 MB) started together with
/// MPI_Iallreduce and then waited on. Bandwidths: algorithm = bytes / time; bus = 2(N-1)/N x bytes / time, what a
/// ring all-reduce moves over each link (the NCCL tests' convention), comparable with a link's speed. The process CPU time
/// of each repeat is reported beside its wall time: on a busy machine the wall time grows with the load.
/// </summary>
internal static class AllReduce
{
    public static int Run(string[] args)
    {
        using ICommunicator comm = Communicators.FromEnvironment();
        return FailurePolicy.Run(comm, () => Time(comm, args));
    }

    private static int Time(ICommunicator comm, string[] args)
    {
        string? net = Option(args, "net");
        int repeats = int.Parse(Option(args, "repeats") ?? "10", CultureInfo.InvariantCulture);
        int warmup = int.Parse(Option(args, "warmup") ?? "2", CultureInfo.InvariantCulture);
        double bucketMb = double.Parse(Option(args, "bucket-mb") ?? "25", CultureInfo.InvariantCulture);
        long count = Option(args, "floats") is { } given ? long.Parse(given, CultureInfo.InvariantCulture) : 0;
        if (count == 0)
        {
            net ??= "sanet-r50";
            Span<double> shared = [comm.Rank == 0 ? GradientCount(net) : 0];
            comm.AllReduceSum(shared); // rank 0 counts, every rank learns it
            count = (long)shared[0];
        }

        string load = LoadAverage();
        var values = new float[count];
        values.AsSpan().Fill(1f / comm.Size);
        int bucket = (int)Math.Max(1, bucketMb * 1e6 / sizeof(float));
        (double[] whole, double[] wholeCpu) = Measure(comm, warmup, repeats, () => comm.AllReduceSum(values));
        (double[] buckets, double[] bucketsCpu) = Measure(comm, warmup, repeats, () =>
        {
            var pending = new List<IPendingReduce>();
            for (long start = 0; start < count; start += bucket)
                pending.Add(comm.StartAllReduceSum(values.AsMemory((int)start, (int)Math.Min(bucket, count - start))));
            foreach (IPendingReduce p in pending)
                p.Wait();
        });
        if (comm.Rank != 0)
            return 0;

        double bytes = count * (double)sizeof(float);
        double busFactor = 2.0 * (comm.Size - 1) / comm.Size;
        Console.WriteLine($"all-reduce of {count:N0} floats ({bytes / 1e6:0.0} MB{(net is null ? "" : $", {net}'s gradients")}) between {comm.Size} ranks ({comm})");
        Console.WriteLine($"load average (1, 5, 15 min) before: {load}, after: {LoadAverage()}");
        Console.WriteLine($"{"case",-28} {"median ms",10} {"min ms",10} {"algo GB/s",10} {"bus GB/s",10} {"CPU ms med",11} {"CPU ms min",11}");
        foreach ((string name, double[] ms, double[] cpu) in new[] { ("one call", whole, wholeCpu), ($"buckets of {bucketMb:0.#} MB, Iallreduce", buckets, bucketsCpu) })
        {
            double median = Median(ms);
            Console.WriteLine($"{name,-28} {median,10:0.0} {ms.Min(),10:0.0} {bytes / median / 1e6,10:0.00} {busFactor * bytes / median / 1e6,10:0.00} {Median(cpu),11:0.0} {cpu.Min(),11:0.0}");
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            ranks = comm.Size,
            load_before = load,
            floats = count,
            net,
            bucket_mb = bucketMb,
            one_call_ms = whole,
            buckets_ms = buckets,
            one_call_cpu_ms = wholeCpu,
            buckets_cpu_ms = bucketsCpu,
            one_call_median_ms = Median(whole),
            buckets_median_ms = Median(buckets),
        }));
        return 0;
    }

    // Every rank's wall time from a barrier to the end of its part (the step's is the slowest rank's), and its
    // process CPU time over the same span (the largest of the ranks'): on a busy machine the wall time grows with
    // the load, the CPU time much less (MPI waits by polling, so it also counts waiting while scheduled).
    private static (double[] Wall, double[] Cpu) Measure(ICommunicator comm, int warmup, int repeats, Action step)
    {
        var wall = new double[repeats];
        var cpu = new double[repeats];
        using var process = Process.GetCurrentProcess();
        for (int i = -warmup; i < repeats; i++)
        {
            comm.Barrier();
            process.Refresh();
            TimeSpan cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            step();
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            process.Refresh();
            Span<double> perRank = new double[2 * comm.Size];
            perRank[comm.Rank] = ms;
            perRank[comm.Size + comm.Rank] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
            comm.AllReduceSum(perRank);
            if (i < 0)
                continue;
            wall[i] = Max(perRank[..comm.Size]);
            cpu[i] = Max(perRank[comm.Size..]);
        }

        return (wall, cpu);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Max(Span<double> values)
    {
        double max = double.MinValue;
        foreach (double v in values)
            max = Math.Max(max, v);
        return max;
    }

    private static long GradientCount(string net)
    {
        using Device device = Device.Create("cpu");
        using INetwork network = Networks.Create(net, device);
        return network.Parameters.Where(p => p.Kind == ParameterKind.Weight).Sum(p => (long)p.Length);
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
