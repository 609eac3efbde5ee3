using Microsoft.CodeAnalysis;
using static NetSpec.Generator.Tests.HostileNameTests;

namespace NetSpec.Generator.Tests;

/// <summary>
/// Two spec names that become one C# name (issue 12): duplicate spec or class names across files are NS0026 on the
/// second file, two names of one spec that mangle to one member are NS0027 naming both; never CS8785 or CS0102.
/// </summary>
public class NameCollisionTests
{
    private static GeneratorHarness.Run Two(string first, string second, string firstFile = "a.yaml", string secondFile = "b.yaml") =>
        GeneratorHarness.Generate(new[] { new InMemoryText("specs/" + firstFile, first), new InMemoryText("specs/" + secondFile, second) });

    [Fact]
    public void Two_specs_with_one_name_are_NS0026_on_the_second_and_the_first_is_still_generated()
    {
        string first = Spec("name: same"), second = Spec("name: same");
        var run = Two(first, second);
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NS0026", "specs/b.yaml", Find(second, "same")), (d.Id, d.Location.GetLineSpan().Path, Position(d)));
        Assert.Equal("Spec name 'same' is already used by specs/a.yaml", d.GetMessage());
        Assert.Contains(run.Result.Results.Single().GeneratedSources, s => s.HintName == "Same.g.cs");
        Assert.Empty(run.CompileDiagnostics());
    }

    [Fact]
    public void Two_spec_names_with_one_class_are_NS0026_naming_both_specs()
    {
        var run = Two(Spec(), Spec(), "a-b.yaml", "a_b.yaml");
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NS0026", "specs/a_b.yaml", (1, 1)), (d.Id, d.Location.GetLineSpan().Path, Position(d)));
        Assert.Equal("Class 'AB' of spec 'a_b' is already generated for spec 'a-b' (specs/a-b.yaml); give one of them another class: or name:", d.GetMessage());
        Assert.Empty(run.CompileDiagnostics());
    }

    [Fact]
    public void Two_specs_with_one_explicit_class_are_NS0026_at_the_second_class()
    {
        string first = Spec("class: Net"), second = Spec("class: Net");
        var run = Two(first, second);
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NS0026", "specs/b.yaml", Find(second, "Net")), (d.Id, d.Location.GetLineSpan().Path, Position(d)));
        Assert.Empty(run.CompileDiagnostics());
    }

    /// <summary>The only error is NS0027 (an unused node also warns, NS0013) at <paramref name="token"/>, its message naming both spec names and the member.</summary>
    private static void Collides(string spec, string token, string message)
    {
        var run = GeneratorHarness.GenerateOne(spec);
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(d.Id == "NS0027" && Position(d) == Find(spec, token), $"expected NS0027 at {Find(spec, token)}, got {d}");
        Assert.Equal(message, d.GetMessage());
        Assert.Empty(run.Result.Results.Single().GeneratedSources); // nothing generated for a rejected spec
        Assert.Empty(run.CompileDiagnostics());
    }

    [Fact]
    public void A_node_named_like_a_batch_norm_buffer_is_NS0027() =>
        Collides(Spec(extra: "bn_mean: { op: relu, in: conv }"), "bn_mean:",
            "'bn_mean' (node) and the batch mean of 'bn' both become the C# member 'bn_mean'; rename one");

    [Fact]
    public void A_node_named_like_a_block_child_is_NS0027()
    {
        string spec = Spec("blocks:\n  pair:\n    nodes:\n      y: { op: relu }", "a: { block: pair }\n  a_y: { op: relu, in: bn }");
        Collides(spec, "a_y:", "'a_y' (node) and 'a.y' (node) both become the C# member 'a_y'; rename one");
    }

    [Fact]
    public void A_node_named_like_a_gradient_is_NS0027() =>
        Collides(Spec(extra: "d_conv: { op: relu, in: conv }"), "d_conv:",
            "'d_conv' (node) and the gradient of 'conv' both become the C# member 'd_conv'; rename one");

    [Theory]
    [InlineData("_labels")]
    [InlineData("Device")]
    [InlineData("Prepare")]
    [InlineData("ParameterSpecs")]
    public void A_node_named_like_a_member_of_every_network_is_NS0027(string name) =>
        Collides(Spec(extra: name + ": { op: relu, in: conv }"), name + ":",
            $"'{name}' (node) and the generated member '{name}' both become the C# member '{name}'; rename one");

    [Fact]
    public void A_node_named_like_its_class_is_NS0027() =>
        Collides(Spec(extra: "Test: { op: relu, in: conv }"), "Test:",
            "'Test' (node) and the class 'Test' of spec 'test' both become the C# member 'Test'; rename one");

    [Fact]
    public void A_node_named_like_a_stage_method_is_NS0027() =>
        Collides(Spec(extra: "ForwardConv: { op: relu, in: conv }"), "ForwardConv:",
            "'ForwardConv' (node) and the forward stage method of 'conv' both become the C# member 'ForwardConv'; rename one");

    [Fact]
    public void A_node_name_too_long_for_a_CSharp_member_is_one_NS0027()
    {
        string name = "n" + new string('x', 499);
        Collides(Spec(extra: name + ": { op: relu, in: conv }"), name + ":",
            $"'{name}' (node) becomes a C# member of 500 characters, more than 480; shorten the names");
    }

    [Theory]
    [InlineData("a_b", "aB", "The outputs 'a_b' and 'aB' both become the OutputTensors property 'AB'; rename one")]
    [InlineData("to_string", null, "The output 'to_string' becomes the OutputTensors property 'ToString', a member every record struct has; rename it")]
    [InlineData("1st", null, "The output '1st' becomes the OutputTensors property '1st', which is no C# name (it must start with a letter); rename it")]
    [InlineData("_", null, "The output '_' becomes the OutputTensors property '', which is no C# name (it must start with a letter); rename it")]
    public void Output_names_whose_property_collides_or_is_no_name_are_NS0027(string output, string? second, string message)
    {
        string outputs = "  mask: bn\n  " + output + ": conv\n" + (second is null ? "" : "  " + second + ": bn\n");
        string spec = Spec().Replace("  mask: bn\n", outputs);
        var run = GeneratorHarness.GenerateOne(spec);
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NS0027", message), (d.Id, d.GetMessage()));
        Assert.Empty(run.Result.Results.Single().GeneratedSources); // nothing generated for a rejected spec
        Assert.Empty(run.CompileDiagnostics());
    }

    [Fact]
    public void Node_and_output_names_that_are_CSharp_keywords_compile()
    {
        string spec = Spec(extra: "class: { op: relu, in: bn }\n  out: { op: relu, in: class }").Replace("  mask: bn\n", "  mask: bn\n  if: out\n");
        var run = GeneratorHarness.GenerateOne(spec);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics());
        Assert.Contains("private Tensor @class;", run.Source("Test.g.cs"));
    }
}
