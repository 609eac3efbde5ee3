using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Reports;
using NetSpec.Runtime;
using NetSpec.Runtime.Profiling;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Profiling;
using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class ProfileSettings : CommandSettings
{
    [CommandOption("--spec <SPEC>")]
    [Description("A spec compiled into this build, by name (sanet-r50, sanet-tiny, …) or file (specs/*.yaml).")]
    public string Spec { get; init; } = "";

    [CommandOption("--batch <N>")]
    [Description("Images per step.")]
    [DefaultValue(8)]
    public int Batch { get; init; } = 8;

    [CommandOption("--size <N>")]
    [Description("Input height and width.")]
    [DefaultValue(480)]
    public int Size { get; init; } = 480;

    [CommandOption("--gpu <NAME>")]
    [Description("The GPU to estimate for: h100 (SXM), h100-pcie, h200.")]
    [DefaultValue("h100")]
    public string Gpu { get; init; } = "h100";

    [CommandOption("--fp32")]
    [Description("GEMMs in plain float32 (TF32 tensor cores off).")]
    public bool Fp32 { get; init; }

    [CommandOption("--json")]
    [Description("Print the estimate as JSON instead of tables.")]
    public bool Json { get; init; }
}

/// <summary>
/// <c>profile</c>: traces an eval forward and a training step of a spec at a size on the kernel path without
/// running them (record-only, so sanet-r50 at 8×480×480 traces on a small CPU machine), and prints the cost
/// model's estimate on a named GPU per op and in total, beside PyTorch's measured times (docs/gpu-notes.md).
/// </summary>
public sealed class ProfileCommand : Command<ProfileSettings>
{
    /// <summary>PyTorch 2.11 + cuDNN, sanet-r50, batch 8, 480×480 on an H100 SXM (docs/gpu-notes.md).</summary>
    private const double PyTorchEvalMs = 27.9, PyTorchTrainMs = 107.6;

    /// <summary>Arenas above this are refused before allocating (the trace reserves, never touches, the arena).</summary>
    private const long MaxArenaBytes = 1L << 40;

    public override int Execute(CommandContext context, ProfileSettings s, CancellationToken cancellationToken)
    {
        if (s.Spec.Length == 0)
            throw new UsageException("profile needs --spec NAME|FILE");
        if (s.Batch is <= 0 or > 4096 || s.Size is <= 0 or > 16384)
            throw new UsageException("--batch must be 1..4096 and --size 1..16384");
        GpuSpec gpu = GpuSpec.Find(s.Gpu)
            ?? throw new UsageException($"--gpu '{s.Gpu}': unknown; known: {string.Join(", ", GpuSpec.Known.Select(g => g.Key))}");
        var (spec, origin) = SpecFile.Resolve(s.Spec);
        SpecReport report = SpecReport.Build(spec, s.Batch, s.Size, s.Size, out var diagnostics)
            ?? throw new SpecFileException(diagnostics.FirstOrDefault()?.ToString() ?? $"{s.Spec}: does not compile");
        if (report.TrainingPeakBytes > MaxArenaBytes)
            throw new UsageException($"--batch {s.Batch} --size {s.Size}: the training arena would take {report.TrainingPeakBytes / (double)(1L << 30):F0} GiB (at most 1024 GiB can be profiled)");

        using Device device = Device.Create("cpu");
        device.AllowTf32 = !s.Fp32;
        using INetwork network = NetworkRegistry.Create(spec.Name, spec.ClassName, origin, device);
        Prepare(network, s, training: false);
        TracedSteps eval = AtThisSize(s, () => StepTraces.Eval(network, TraceMode.RecordOnly, gpu.ResidentThreads));
        Prepare(network, s, training: true);
        using var sgd = new MomentumSgd(network, 0.9, 1e-4);
        TracedSteps train = AtThisSize(s, () => StepTraces.Train(network, sgd, TraceMode.RecordOnly, readLosses: true, gpu.ResidentThreads));

        var model = new CostModel(gpu);
        var result = new ProfileResult(spec.Name, s.Batch, s.Size, gpu, !s.Fp32,
            Summary(model, eval), Summary(model, train), PyTorchEvalMs, PyTorchTrainMs, PeakResidentBytes(), network.PlannedPeakBytes);
        if (s.Json)
            Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        else
            Print(result);
        return 0;
    }

    private static void Prepare(INetwork network, ProfileSettings s, bool training)
    {
        try
        {
            AtThisSize(s, () => network.Prepare(s.Batch, s.Size, s.Size, training));
        }
        catch (OutOfMemoryException)
        {
            throw new UsageException($"--batch {s.Batch} --size {s.Size}: this machine cannot reserve the {(training ? "training" : "inference")} arena");
        }
    }

    // every shape of a traced step follows from --batch and --size: a shape the network or an op rejects
    // (an input too small for the spec, a batch norm over a single value) is the options' fault
    private static void AtThisSize(ProfileSettings s, Action run) => AtThisSize(s, () =>
    {
        run();
        return 0;
    });

    private static T AtThisSize<T>(ProfileSettings s, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--batch {s.Batch} --size {s.Size}: {e.Message}");
        }
    }

    private static StepSummary Summary(CostModel model, TracedSteps steps)
    {
        StepTrace t = steps.Steady;
        StepEstimate e = model.Estimate(t.Events);
        return new StepSummary(t.Launches, t.GemmCalls, t.Syncs, t.Copies, steps.First.WorkspaceGrowths, t.WorkspaceGrowths,
            e.Flops, e.Bytes, e.RooflineSeconds * 1e3, e.Seconds * 1e3,
            e.Rows.Select(r => new OpSummary(r.Op, r.Calls, r.Flops / 1e9, r.Bytes / 1e9, r.RooflineSeconds * 1e3, r.Seconds * 1e3)).ToList());
    }

    private static void Print(ProfileResult r)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Spec} at {r.Batch}×3×{r.Size}×{r.Size} on {r.Gpu.Name} (model), GEMMs {(r.Tf32 ? "TF32" : "float32")}; steady-state steps traced record-only on the kernel path"));
        // PyTorch was measured on this case only: sanet-r50, batch 8, 480×480, an H100 SXM
        bool measured = r.Spec == "sanet-r50" && r.Batch == 8 && r.Size == 480 && r.Gpu.Key == "h100";
        PrintStep("eval forward", r.Eval, r.PyTorchEvalMs, measured);
        PrintStep("training step (forward, losses read, backward, SGD)", r.Train, r.PyTorchTrainMs, measured);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"host memory: peak resident {r.PeakResidentBytes / 1048576.0:F0} MiB; the training arena ({r.PlannedArenaBytes / 1048576.0:F0} MiB) is reserved, never touched"));
    }

    private static void PrintStep(string title, StepSummary step, double pytorchMs, bool measuredCase)
    {
        var table = new Table().Border(TableBorder.Simple).Title(title)
            .AddColumn("op").AddColumn(new TableColumn("calls").RightAligned()).AddColumn(new TableColumn("GFLOP").RightAligned())
            .AddColumn(new TableColumn("GB moved").RightAligned()).AddColumn(new TableColumn("roofline ms").RightAligned())
            .AddColumn(new TableColumn("estimate ms").RightAligned()).AddColumn(new TableColumn("share").RightAligned());
        foreach (OpSummary row in step.Rows)
        {
            table.AddRow(Markup.Escape(row.Op), N(row.Calls), F(row.Gflop, 1), F(row.Gbytes, 2), F(row.RooflineMs, 2), F(row.EstimateMs, 2),
                F(100 * row.EstimateMs / step.EstimateMs, 1) + "%");
        }

        table.AddRow("[bold]total[/]", N(step.Rows.Sum(x => x.Calls)), F(step.Flops / 1e9, 1), F(step.Bytes / 1e9, 2), F(step.RooflineMs, 2), F(step.EstimateMs, 2), "100%");
        Terminal.Write(table);
        string reference = measuredCase ? string.Create(CultureInfo.InvariantCulture, $"; PyTorch + cuDNN measured {pytorchMs:F1} ms on an H100 SXM") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{title}: {step.Launches:N0} launches, {step.GemmCalls:N0} GEMM calls, {step.Syncs} syncs, {step.Copies} host copies, workspace grown {step.FirstStepWorkspaceGrowths}× in the first step and {step.WorkspaceGrowths}× after; estimate {step.EstimateMs:F1} ms (roofline alone {step.RooflineMs:F1} ms){reference}"));
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);

    // VmHWM from /proc/self/status (Linux), else the current working set
    private static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), out long kb))
                return kb * 1024;
        }

        return Environment.WorkingSet;
    }
}

public sealed record OpSummary(string Op, int Calls, double Gflop, double Gbytes, double RooflineMs, double EstimateMs);

public sealed record StepSummary(int Launches, int GemmCalls, int Syncs, int Copies, int FirstStepWorkspaceGrowths, int WorkspaceGrowths,
    double Flops, double Bytes, double RooflineMs, double EstimateMs, IReadOnlyList<OpSummary> Rows);

public sealed record ProfileResult(string Spec, int Batch, int Size, GpuSpec Gpu, bool Tf32, StepSummary Eval, StepSummary Train,
    double PyTorchEvalMs, double PyTorchTrainMs, long PeakResidentBytes, long PlannedArenaBytes);
