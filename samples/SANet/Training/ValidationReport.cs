using System.Globalization;
using NetSpec.Samples.SANet.Evaluation;
using Spectre.Console;

namespace NetSpec.Samples.SANet.Training;

/// <summary>Formats metrics: a one-line summary and a per-class IoU table.</summary>
public static class ValidationReport
{
    public static string Summary(SegmentationMetrics m, bool context) =>
        string.Create(CultureInfo.InvariantCulture,
            $"pixAcc {m.PixelAccuracy * 100:F2}  mIoU {m.MeanIou * 100:F2}{(context ? $"  mIoU60 {m.MeanIou60 * 100:F2}" : "")}");

    public static Table ClassTable(SegmentationMetrics m, IReadOnlyList<string> classNames)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("class").AddColumn(new TableColumn("IoU %").RightAligned());
        for (int k = 0; k < m.ClassIou.Count; k++)
            table.AddRow(Markup.Escape(k < classNames.Count ? classNames[k] : $"class{k}"), (m.ClassIou[k] * 100).ToString("F2", CultureInfo.InvariantCulture));
        return table;
    }
}
