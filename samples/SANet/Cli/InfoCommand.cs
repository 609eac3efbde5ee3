using System.ComponentModel;
using System.Globalization;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Reports;
using NetSpec.Samples.SANet.Networks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class InfoSettings : CommandSettings
{
    [CommandOption("--spec <FILE>")]
    public string Spec { get; init; } = "";

    [CommandOption("--size <N>")]
    [Description("Input height and width.")]
    [DefaultValue(480)]
    public int Size { get; init; } = 480;

    [CommandOption("--batch <N>")]
    [DefaultValue(1)]
    public int Batch { get; init; } = 1;
}

/// <summary><c>info</c>: the compiler's report of a spec: per-node output shapes, parameters and FLOPs, totals and planned memory.</summary>
public sealed class InfoCommand : Command<InfoSettings>
{
    public override int Execute(CommandContext context, InfoSettings s, CancellationToken cancellationToken)
    {
        if (s.Spec.Length == 0)
            throw new UsageException("info needs --spec FILE");
        OptionRules.Check(s);
        ExpandedSpec spec = SpecFile.Expand(s.Spec);
        SpecReport report = SpecReport.Build(spec, s.Batch, s.Size, s.Size, out var diagnostics)
            ?? throw new SpecFileException(diagnostics.FirstOrDefault()?.ToString() ?? $"{s.Spec}: does not compile");
        if (report.Rows.FirstOrDefault(r => r.Shape.Any(d => d < 1)) is { } empty)
            throw new UsageException($"--size {s.Size}: {report.SpecName}'s {empty.Name} would be {string.Join("×", empty.Shape)}, a feature map with no pixels");

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
        Console.WriteLine(NetworkRegistry.IsCompiled(report.SpecName)
            ? $"compiled into this build as NetSpec.Networks.{NetworkRegistry.ClassNameOf(report.SpecName)}"
            : $"not compiled into this build (rebuild the sample to train it)");
        return 0;
    }
}
