using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>Each middle diagnostic, at its exact location, and no other.</summary>
public class MiddleDiagnosticTests
{
    private static SpecDiagnostic Single(ExpandedSpec spec, string id)
    {
        CompileResult result = SpecCompiler.Compile(spec);
        SpecDiagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        return d;
    }

    [Fact]
    public void NS0012_add_of_different_shapes_names_both()
    {
        var b = new MiddleSpecBuilder();
        string x = b.Conv("x", "image", 256, 3, stride: 4, padding: 1);
        string y = b.Conv("y", "image", 512, 3, stride: 8, padding: 1);
        b.Output("sum", b.Op("sum", "add", new[] { x, y }));
        SpecDiagnostic d = Single(b.Build(), "NS0012");
        Assert.Equal(Severity.Error, d.Severity);
        Assert.Equal(MiddleSpecBuilder.LocationOfNode(2), d.Location);
        Assert.Equal("Shape mismatch at 'sum': add 'x' (N,256,⌈H/4⌉,⌈W/4⌉) and 'y' (N,512,⌈H/8⌉,⌈W/8⌉) have different shapes", d.Message);
    }

    [Fact]
    public void NS0014_groups_not_dividing_channels_points_at_groups()
    {
        var b = new MiddleSpecBuilder();
        b.Output("y", b.Conv("c", "image", 8, 3, groups: 2));
        SpecDiagnostic d = Single(b.Build(), "NS0014");
        Assert.Equal(MiddleSpecBuilder.LocationOfAttr(0, 5), d.Location); // groups is the 6th attribute
        Assert.Contains("groups 2 must divide input channels 3", d.Message);
    }

    [Fact]
    public void NS0014_non_positive_output_size()
    {
        var b = new MiddleSpecBuilder();
        b.Output("y", b.Op("p", "maxpool", new[] { "image" }, ("kernel", 9), ("stride", 1)));
        SpecDiagnostic d = Single(b.Build(defaultH: 4, defaultW: 4), "NS0014");
        Assert.Equal(MiddleSpecBuilder.LocationOfNode(0), d.Location);
        Assert.Contains("non-positive size", d.Message);
    }

    [Fact]
    public void NS0014_wrong_rank()
    {
        var b = new MiddleSpecBuilder();
        b.Output("y", b.Op("r", "relu", new[] { "labels" }));
        SpecDiagnostic d = Single(b.Build(), "NS0014");
        Assert.Contains("input 'labels' (N,H,W) has rank 3, expected 4", d.Message);
    }

    [Fact]
    public void NS0011_cycle_is_named()
    {
        var b = new MiddleSpecBuilder();
        b.Op("a", "add", new[] { "image", "c" });
        b.Op("b", "relu", new[] { "a" });
        b.Op("c", "relu", new[] { "b" });
        b.Output("y", "c");
        SpecDiagnostic d = Single(b.Build(), "NS0011");
        Assert.Equal(MiddleSpecBuilder.LocationOfNode(0), d.Location);
        Assert.Equal("Graph cycle: a -> c -> b -> a", d.Message);
    }

    [Fact]
    public void NS0013_unused_tensor_is_a_warning_and_compiles()
    {
        var b = new MiddleSpecBuilder();
        b.Output("y", b.Relu("used", "image"));
        b.Relu("dangling", "image");
        CompileResult result = SpecCompiler.Compile(b.Build());
        SpecDiagnostic d = Assert.Single(result.Diagnostics);
        Assert.Equal(("NS0013", Severity.Warning), (d.Id, d.Severity));
        Assert.Equal(MiddleSpecBuilder.LocationOfNode(1), d.Location);
        Assert.NotNull(result.Network);
    }

    [Fact]
    public void Valid_networks_have_no_diagnostics()
    {
        foreach (var c in new[] { MiddleNetworks.SanetR50, MiddleNetworks.FcnR50, MiddleNetworks.SanetTiny })
            Assert.Empty(SpecCompiler.Compile(MiddleNetworks.Build(c)).Diagnostics);
    }
}
