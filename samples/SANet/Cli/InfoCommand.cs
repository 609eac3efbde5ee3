using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NetSpec.Dsl.Reports;
using NetSpec.Samples.SANet.Networks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class InfoSettings : CommandSettings
{
    [CommandOption("--spec <SPEC>")]
    [Description("A spec compiled into this build, by name (sanet-tiny, sanet-r50, …) or file (specs/*.yaml); default: sanet-tiny.")]
    public string? Spec { get; init; }

    [CommandOption("--size <N>")]
    [Description("Input height and width.")]
    [DefaultValue(480)]
    public int Size { get; init; } = 480;

    [CommandOption("--batch <N>")]
    [Description("Images per batch (planned memory grows with it).")]
    [DefaultValue(1)]
    public int Batch { get; init; } = 1;

    [CommandOption("--json")]
    [Description("Print the report as one JSON object (nodes and totals) instead of a table.")]
    public bool Json { get; init; }

    [CommandOption("--csv")]
    [Description("Print the per-node table as CSV (node, op, output, params, flops) instead.")]
    public bool Csv { get; init; }
}

/// <summary>
/// <c>info</c>: the compiler's report of a spec: per-node output shapes, parameters and FLOPs, totals and planned
/// memory; as a table (never wrapped when redirected), JSON or CSV.
/// </summary>
public sealed class InfoCommand : Command<InfoSettings>
{
    public override int Execute(CommandContext context, InfoSettings s, CancellationToken cancellationToken)
    {
        OptionRules.Check(s);
        if (s.Json && s.Csv)
            throw new UsageException("give --json or --csv, not both");
        var (spec, _) = SpecFile.Resolve(s.Spec ?? SpecFile.DefaultSpec);
        SpecReport report = SpecReport.Build(spec, s.Batch, s.Size, s.Size, out var diagnostics)
            ?? throw new SpecFileException(diagnostics.FirstOrDefault()?.ToString() ?? $"{s.Spec}: does not compile");
        if (report.Rows.FirstOrDefault(r => r.Shape.Any(d => d < 1)) is { } empty)
            throw new UsageException($"--size {s.Size}: {report.SpecName}'s {empty.Name} would be {string.Join("×", empty.Shape)}, a feature map with no pixels");

        bool compiled = NetworkRegistry.IsCompiled(report.SpecName);
        if (s.Json)
            Console.WriteLine(Json(report, compiled));
        else if (s.Csv)
            Console.Write(Csv(report));
        else
            WriteTable(report, compiled);
        return 0;
    }

    public static string Json(SpecReport report, bool compiled)
    {
        var value = new
        {
            spec = report.SpecName,
            batch = report.N,
            height = report.H,
            width = report.W,
            parameters = report.TotalParams,
            flops = report.TotalFlops,
            inferencePeakBytes = report.InferencePeakBytes,
            trainingPeakBytes = report.TrainingPeakBytes,
            compiled,
            nodes = report.Rows.Select(r => new { name = r.Name, op = r.Op, output = r.Shape, parameters = r.Params, flops = r.Flops }),
        };
        return JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>One row per node; output as "1x64x240x240"; fields quoted where they hold a comma or a quote.</summary>
    public static string Csv(SpecReport report)
    {
        var text = new StringBuilder("node,op,output,params,flops\n");
        foreach (ReportRow row in report.Rows)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{Field(row.Name)},{Field(row.Op)},{string.Join("x", row.Shape)},{row.Params},{row.Flops}\n");
        }

        return text.ToString();
    }

    private static string Field(string value) =>
        value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static void WriteTable(SpecReport report, bool compiled)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("node").AddColumn("op").AddColumn("output").AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("GFLOPs").RightAligned());
        foreach (ReportRow row in report.Rows)
        {
            table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Op), string.Join("×", row.Shape),
                row.Params.ToString("N0", CultureInfo.InvariantCulture), (row.Flops / 1e9).ToString("F3", CultureInfo.InvariantCulture));
        }

        Terminal.Write(table);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.SpecName} at {report.N}×3×{report.H}×{report.W}: {report.TotalParams:N0} parameters, {report.GFlops:F2} GFLOPs, planned memory {report.InferencePeakBytes / 1048576.0:F1} MiB inference, {report.TrainingPeakBytes / 1048576.0:F1} MiB training"));
        Console.WriteLine(compiled
            ? $"compiled into this build as NetSpec.Networks.{NetworkRegistry.ClassNameOf(report.SpecName)}"
            : $"not compiled into this build (rebuild the sample to train it)");
    }
}
