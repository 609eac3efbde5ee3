using Microsoft.CodeAnalysis;

namespace NetSpec.Generator.Tests;

/// <summary>Editing one spec recompiles and regenerates that spec only: the other specs' compile outputs stay cached.</summary>
public class IncrementalTests
{
    private static IncrementalStepRunReason[] CompileReasons(GeneratorDriver driver, out string[] paths)
    {
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[StepNames.CompileSpec];
        paths = steps.Select(s => ((Model.SpecOutput)s.Outputs.Single().Value).Path).ToArray();
        return steps.Select(s => s.Outputs.Single().Reason).ToArray();
    }

    [Fact]
    public void Editing_one_spec_regenerates_only_that_spec()
    {
        var specs = GeneratorHarness.RepositorySpecs().Where(s => !s.Path.Contains("r101")).ToList();
        var compilation = GeneratorHarness.EmptyCompilation();
        GeneratorDriver driver = GeneratorHarness.Driver(specs, trackSteps: true).RunGenerators(compilation);

        InMemoryText old = specs.Single(s => s.Path == "specs/fcn-tiny.yaml");
        string edited = old.GetText()!.ToString().Replace("classes: 6", "classes: 7");
        Assert.NotEqual(old.GetText()!.ToString(), edited);
        driver = driver.ReplaceAdditionalText(old, new InMemoryText(old.Path, edited)).RunGenerators(compilation);

        IncrementalStepRunReason[] reasons = CompileReasons(driver, out string[] paths);
        for (int i = 0; i < paths.Length; i++)
        {
            IncrementalStepRunReason expected = paths[i] == "specs/fcn-tiny.yaml" ? IncrementalStepRunReason.Modified : IncrementalStepRunReason.Unchanged;
            Assert.True(expected == reasons[i], $"{paths[i]}: {reasons[i]}, expected {expected}");
        }

        Assert.Contains("public int NumClasses => 7;", driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName == "FcnTiny.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Running_again_without_edits_keeps_every_output_cached()
    {
        var specs = GeneratorHarness.RepositorySpecs().Where(s => s.Path.Contains("tiny") || s.Path.Contains("base") || s.Path.Contains("r50")).ToList();
        var compilation = GeneratorHarness.EmptyCompilation();
        GeneratorDriver driver = GeneratorHarness.Driver(specs, trackSteps: true).RunGenerators(compilation).RunGenerators(compilation);
        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }
}
