using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

public class RealSpecTests
{
    public static readonly string[] Files = { "sanet-r50.yaml", "sanet-r101.yaml", "sanet-tiny.yaml", "sanet-tiny-se.yaml", "fcn-r50.yaml", "fcn-tiny.yaml" };

    public static TheoryData<string> Concrete => new(Files);

    [Theory]
    [MemberData(nameof(Concrete))]
    public void Expands_without_diagnostics(string file)
    {
        FrontEndResult r = SpecFiles.Expand(file);
        Assert.True(r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics));
        Assert.NotNull(r.Spec);
    }
}

public class AbstractSpecTests
{
    [Fact]
    public void Abstract_base_gives_no_network_and_no_diagnostics()
    {
        FrontEndResult r = SpecFiles.Expand("segmentation-base.yaml");
        Assert.Null(r.Spec);
        Assert.Empty(r.Diagnostics);
    }
}
