using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NetSpec.Benchmarks;

/// <summary>A benchmark parameter that knows how much work each benchmark method does on it.</summary>
public interface IWorkload
{
    /// <summary>Floating-point operations of one call of <paramref name="method"/> (2 per multiply-add); 0 = not meaningful.</summary>
    double Flops(string method);

    /// <summary>Bytes one call of <paramref name="method"/> must move at least (each tensor read once, written once); 0 = not meaningful.</summary>
    double Bytes(string method);
}

/// <summary>GFLOP/s or GB/s from the median time and the case's <see cref="IWorkload"/>.</summary>
public sealed class ThroughputColumn : IColumn
{
    public static readonly IColumn GFlops = new ThroughputColumn(flops: true);
    public static readonly IColumn GBytes = new ThroughputColumn(flops: false);

    private readonly bool flops;

    private ThroughputColumn(bool flops) => this.flops = flops;

    public string Id => flops ? "NetSpec.GFlops" : "NetSpec.GBps";

    public string ColumnName => flops ? "GFLOP/s" : "GB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => flops ? 0 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => flops
        ? "Floating-point operations (2 per multiply-add of the direct algorithm) per second, from the median"
        : "Bytes that must be read and written once (float32) per second, from the median";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        IWorkload? work = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IWorkload>().FirstOrDefault();
        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (work is null || medianNs is not > 0)
            return "-";
        string method = benchmarkCase.Descriptor.WorkloadMethod.Name;
        double amount = flops ? work.Flops(method) : work.Bytes(method);
        return amount > 0 ? (amount / medianNs.Value).ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
