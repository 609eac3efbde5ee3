using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetSpec.Runtime;

namespace NetSpec.Benchmarks;

/// <summary>
/// --peer-json: times one case exactly as benchmarks/peer/bench.py does and prints one JSON line
/// with the same keys, for scripts/bench-vs-pytorch.sh.
///
///   --peer-json --net sanet-tiny --mode train --batch 8 --size 96 [--repeats 7] [--warmup 2] [--warmup-seconds 0]
///               [--device cpu] [--weights W.safetensors] [--inputs I.safetensors] [--dump-outputs O.safetensors]
///
/// With --dump-outputs it writes the eval-mode outputs and exits (no timing).
/// Memory: peak_rss_delta_bytes = peak RSS during Prepare + warm-up + timed steps minus the RSS just
/// before Prepare (the network built, parameters, their gradients and BN buffers allocated and
/// initialised). It therefore counts the planned activation/gradient arena, optimizer state and the
/// device workspace; on the CPU accelerator ILGPU buffers are host memory, so RSS sees them. On a GPU
/// it sees only host memory: use planned_peak_bytes there.
/// </summary>
internal static class Peer
{
    public static int Run(string[] args)
    {
        var a = Args.Parse(args);
        string spec = a.Get("net") ?? throw new ArgumentException("--net is required");
        string mode = a.Get("mode") ?? "forward";
        if (mode is not ("forward" or "train"))
            throw new ArgumentException("--mode is forward or train");
        int batch = a.Int("batch", 1), size = a.Int("size", 96), repeats = a.Int("repeats", 7), warmup = a.Int("warmup", 2);
        int warmupSeconds = a.Int("warmup-seconds", 0);
        if (repeats < 5)
            throw new ArgumentException("--repeats must be >= 5 (the median of at least 5 runs is reported)");
        bool training = mode == "train";

        using Device device = Device.Create(a.Get("device") ?? "cpu");
        using INetwork net = Networks.Create(spec, device);
        net.InitializeParameters((ulong)a.Int("seed", 0));
        if (a.Get("weights") is { } w)
            Networks.LoadWeights(net, w);

        string? dump = a.Get("dump-outputs");
        if (dump is not null)
        {
            net.Prepare(batch, size, size, training: false);
            Networks.WriteInputs(net, a.Get("inputs"), a.Int("seed", 0));
            Networks.DumpOutputs(net, dump);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["side"] = "netspec", ["net"] = spec, ["outputs"] = dump }));
            return 0;
        }

        double idle = ProcessMemory.IdleFraction(TimeSpan.FromSeconds(0.5));
        (long rss0, _) = ProcessMemory.Read();
        bool reset = ProcessMemory.ResetPeak();
        net.Prepare(batch, size, size, training);
        Networks.WriteInputs(net, a.Get("inputs"), a.Int("seed", 0));
        using TrainingStep? train = training ? new TrainingStep(net) : null;
        Action step = training ? train!.Run : () =>
        {
            net.Forward(training: false);
            device.Synchronize();
        };

        // at least --warmup steps and --warmup-seconds: .NET recompiles hot methods with their profile
        // in the background after their 30th call, which takes longer in wall time than a small step's 30 calls
        var warming = Stopwatch.StartNew();
        for (int i = 0; i < warmup || warming.Elapsed.TotalSeconds < warmupSeconds; i++)
            step();
        var times = new List<double>();
        var cpu = new List<double>();
        long allocated0 = GC.GetTotalAllocatedBytes(precise: true);
        int collections0 = GC.CollectionCount(0);
        for (int i = 0; i < repeats; i++)
        {
            TimeSpan c0 = Environment.CpuUsage.TotalTime;
            long t0 = Stopwatch.GetTimestamp();
            step();
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            cpu.Add((Environment.CpuUsage.TotalTime - c0).TotalMilliseconds);
        }

        long allocatedPerStep = (GC.GetTotalAllocatedBytes(precise: true) - allocated0) / repeats;
        int collections = GC.CollectionCount(0) - collections0;
        (_, long hwm) = ProcessMemory.Read();
        var sorted = times.Order().ToList();
        double median = Median(times);
        var res = new Dictionary<string, object>
        {
            ["side"] = "netspec",
            ["net"] = spec,
            ["mode"] = mode,
            ["batch"] = batch,
            ["size"] = size,
            ["threads"] = Environment.ProcessorCount,
            ["warmup"] = warmup,
            ["warmup_seconds"] = warmupSeconds,
            ["repeats"] = repeats,
            ["median_ms"] = median,
            ["min_ms"] = sorted[0],
            ["mean_ms"] = times.Average(),
            ["times_ms"] = times.Select(t => Math.Round(t, 3)).ToArray(),
            ["baseline_rss_bytes"] = rss0,
            ["peak_rss_bytes"] = hwm,
            ["peak_rss_delta_bytes"] = hwm - rss0,
            ["peak_reset"] = reset,
            ["cpu_median_ms"] = Median(cpu),
            ["idle_before"] = Math.Round(idle, 3),
            ["planned_peak_bytes"] = net.PlannedPeakBytes,
            ["workspace_bytes"] = device.WorkspaceBytes,
            // allocated with the parameters, before the baseline; PyTorch allocates its .grad in the first step (in its delta)
            ["grad_bytes"] = net.Parameters.Where(p => p.Grad is not null).Sum(p => p.Length * sizeof(float)),
            ["managed_alloc_bytes_per_step"] = allocatedPerStep,
            ["gen0_collections"] = collections,
            ["params"] = net.Parameters.Where(p => p.Kind == ParameterKind.Weight).Sum(p => p.Length),
            ["device"] = device.Name,
        };
        if (training)
            res["last_loss"] = train!.LastLoss;
        Console.WriteLine(JsonSerializer.Serialize(res));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var s = values.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>Prints state_dict names, shapes and kinds (to diff against `python3 benchmarks/peer/nets.py --names NET`).</summary>
    public static int ListParams(string spec)
    {
        using Device device = Device.Create("cpu");
        using INetwork net = Networks.Create(spec, device);
        long total = 0;
        foreach (Parameter p in net.Parameters)
        {
            string dtype = p.Kind == ParameterKind.Counter ? "int64" : "float32";
            int[] shape = p.Kind == ParameterKind.Counter ? [] : p.Shape;
            Console.WriteLine($"{p.Name} [{string.Join(", ", shape)}] {dtype}");
            if (p.Kind != ParameterKind.Counter)
                total += p.Length;
        }

        Console.WriteLine($"# {total} float values");
        return 0;
    }

    private sealed class Args
    {
        private readonly Dictionary<string, string> values = [];

        public static Args Parse(string[] args)
        {
            var a = new Args();
            for (int i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i] == "--peer-json")
                    continue;
                string key = args[i][2..];
                a.values[key] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
            }

            return a;
        }

        public string? Get(string key) => values.TryGetValue(key, out string? v) ? v : null;

        public int Int(string key, int fallback) => Get(key) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    }
}
