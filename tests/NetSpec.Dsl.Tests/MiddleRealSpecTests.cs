using NetSpec.Dsl.Model;
using NetSpec.Dsl.Reports;

namespace NetSpec.Dsl.Tests;

/// <summary>The repository's specs through front end and middle: no diagnostics, and parameter counts as docs/sanet.md's formulas.</summary>
public class MiddleRealSpecTests
{
    private static CompiledNetwork Compile(string file)
    {
        CompileResult result = SpecCompiler.Compile("specs/" + file, SpecFiles.Text(file), SpecFiles.Resolve);
        Assert.True(result.Network is not null, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Network!;
    }

    [Theory]
    [InlineData("sanet-r50.yaml")]
    [InlineData("sanet-r101.yaml")]
    [InlineData("fcn-r50.yaml")]
    [InlineData("sanet-tiny.yaml")]
    [InlineData("sanet-tiny-se.yaml")]
    [InlineData("fcn-tiny.yaml")]
    public void Every_spec_compiles_without_diagnostics(string file)
    {
        CompiledNetwork net = Compile(file);
        Assert.NotEmpty(net.Backward.Steps);
        Assert.True(net.TrainingPlan.PeakBytes(net.Graph.DefaultSizes) > 0);
    }

    [Theory]
    [InlineData("sanet-r50.yaml", 55_610_405)] // MiddleParamCountTests: deep ResNet-50 + SA heads + FCN head, K = 59
    [InlineData("fcn-r50.yaml", 33_100_283)] // deep ResNet-50 + FCN head, K = 59
    [InlineData("sanet-r101.yaml", 74_602_533)]
    public void Parameter_counts_match_the_hand_formulas(string file, long expected) =>
        Assert.Equal(expected, Compile(file).Graph.ParamCount);

    [Fact]
    public void Report_of_sanet_r50_at_480()
    {
        SpecReport report = SpecReport.Build(Compile("sanet-r50.yaml"), 1, 480, 480);
        Assert.Equal(55_610_405, report.TotalParams);
        Assert.Contains(report.Rows, r => r.Op == "conv2d" && r.Shape.SequenceEqual(new long[] { 1, 2048, 60, 60 }));
        Assert.True(report.TrainingPeakBytes > report.InferencePeakBytes);
    }

    [Fact]
    public void Abstract_base_spec_gives_no_network_and_no_diagnostics()
    {
        CompileResult result = SpecCompiler.Compile("specs/segmentation-base.yaml", SpecFiles.Text("segmentation-base.yaml"), SpecFiles.Resolve);
        Assert.Null(result.Network);
        Assert.Empty(result.Diagnostics);
    }
}

/// <summary>Prints the report totals the final report quotes (parameters, GFLOPs, planned peaks), checking they add up.</summary>
public class MiddleReportNumbers(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData("sanet-r50.yaml", 1, 480, 480)]
    [InlineData("sanet-r50.yaml", 16, 480, 480)]
    [InlineData("sanet-r101.yaml", 1, 480, 480)]
    [InlineData("fcn-r50.yaml", 1, 480, 480)]
    [InlineData("sanet-tiny.yaml", 8, 96, 96)]
    public void Totals(string file, int n, int h, int w)
    {
        CompileResult result = SpecCompiler.Compile("specs/" + file, SpecFiles.Text(file), SpecFiles.Resolve);
        SpecReport report = SpecReport.Build(result.Network!, n, h, w);
        var sizes = Shapes.TypedGraph.Sizes(n, h, w);
        output.WriteLine($"{file} {n}x3x{h}x{w}: params {report.TotalParams:N0}, {report.GFlops:F2} GFLOPs, " +
            $"inference peak {report.InferencePeakBytes / 1048576.0:F1} MiB (no reuse {result.Network!.InferencePlan.SumBytes(sizes) / 1048576.0:F1}), " +
            $"training peak {report.TrainingPeakBytes / 1048576.0:F1} MiB (no reuse {result.Network.TrainingPlan.SumBytes(sizes) / 1048576.0:F1})");
        Assert.Equal(report.Rows.Sum(r => r.Flops), report.TotalFlops);
    }
}
