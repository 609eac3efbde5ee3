namespace NetSpec.Generator.Tests;

public class ExploreTests
{
    [Fact]
    public void Tiny_compiles()
    {
        var run = GeneratorHarness.Generate(GeneratorHarness.RepositorySpecs());
        Assert.Empty(run.GeneratorDiagnostics);
        File.WriteAllText("/tmp/SanetTiny.g.cs", run.Source("SanetTiny.g.cs"));
        File.WriteAllLines("/tmp/diags.txt", run.CompileDiagnostics().Select(d => d.ToString()));
        Assert.Empty(run.CompileDiagnostics());
    }
}
