namespace NetSpec.Generator.Tests;

/// <summary>The generated sources of every repository spec: snapshots, and they compile without warnings against NetSpec.Runtime.</summary>
public class GeneratedCodeTests
{
    private static readonly Lazy<GeneratorHarness.Run> Repository = new(() => GeneratorHarness.Generate(GeneratorHarness.RepositorySpecs()));

    private static readonly string[] Hints =
    {
        "FcnR50.g.cs",
        "FcnTiny.g.cs",
        "SanetR101.g.cs",
        "SanetR50.g.cs",
        "SanetTiny.g.cs",
        "SanetTinySe.g.cs",
    };

    public static TheoryData<string> HintNames => new(Hints);

    [Fact]
    public void Every_spec_generates_a_class_and_no_diagnostics()
    {
        Assert.Empty(Repository.Value.GeneratorDiagnostics);
        var hints = Repository.Value.Result.Results.Single().GeneratedSources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal);
        Assert.Equal(Hints, hints);
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_against_the_runtime()
    {
        var problems = Repository.Value.CompileDiagnostics().Select(d => d.ToString()).Take(20).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(HintNames))]
    public void Snapshot_of(string hintName) =>
        Snapshot.Verify(Repository.Value.Source(hintName), hintName.Replace(".g.cs", ""), testClass: nameof(GeneratedCodeTests));

    [Fact]
    public void Generated_sanet_r50_states_its_plan_and_the_sa_gate_is_fused()
    {
        string source = Repository.Value.Source("SanetR50.g.cs");
        Assert.Contains("sanet-r50: 55,610,405 parameters", source);
        Assert.Contains("// Training plan:", source);
        Assert.Contains("AttentionGate.Forward(Device, head_sa1_upsample, head_sa1_conv_res_5, head_sa1_add);", source);
        Assert.Contains("relu: true);", source); // BN + ReLU fused
        Assert.Contains("Losses.SoftmaxCrossEntropy(Device, ", source); // the runtime's cross-entropy, no kernel of its own
        Assert.DoesNotContain("Atomic.", source);
        Assert.DoesNotContain("Elementwise.Mul(", source);
    }
}
