using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NetSpec.Benchmarks;

/// <summary>Per-op runs: short (3 warm-up, 7 measured iterations, one process) because the machine is shared.</summary>
public sealed class OpConfig : ManualConfig
{
    public OpConfig()
    {
        AddJob(Jobs.Maybe(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).WithId("op")));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, ThroughputColumn.GFlops, ThroughputColumn.GBytes);
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
    }
}

/// <summary>Whole networks: one call per iteration, 2 warm-up and 5 measured (the median is what bench.py reports too).</summary>
public sealed class NetworkConfig : ManualConfig
{
    public NetworkConfig()
    {
        AddJob(Jobs.Maybe(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2)
            .WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1).WithId("net")));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min);
        WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
    }
}

internal static class Jobs
{
    /// <summary>NETSPEC_BENCH_INPROCESS=1 runs in this process (no child build: quicker, a little less isolated).</summary>
    public static Job Maybe(Job job) =>
        Environment.GetEnvironmentVariable("NETSPEC_BENCH_INPROCESS") == "1" ? job.WithToolchain(InProcessEmitToolchain.Instance) : job;
}
