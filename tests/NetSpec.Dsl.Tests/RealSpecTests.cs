using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

public class RealSpecTests
{
    public static TheoryData<string> Concrete => new() { "sanet-r50.yaml", "sanet-r101.yaml", "sanet-tiny.yaml", "sanet-tiny-se.yaml", "fcn-r50.yaml", "fcn-tiny.yaml" };

    [Theory]
    [MemberData(nameof(Concrete))]
    public void Expands_without_diagnostics(string file)
    {
        FrontEndResult r = SpecFiles.Expand(file);
        Assert.True(r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics));
        Assert.NotNull(r.Spec);
    }
}
