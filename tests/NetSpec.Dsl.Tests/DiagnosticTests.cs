using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>One test per front-end rule: the exact id, line and column, and no other diagnostic.</summary>
public class DiagnosticTests
{
    // A small valid spec; tests replace one of its lines.
    private const string Valid = """
        classes: 2
        sizes: { N: 1, H: 8, W: 8 }
        inputs:
          image: { shape: [N, 3, H, W] }
        groups:
          all: { members: [net, extra] }
        blocks:
          pair:
            params:
              width: { type: int, default: 4, min: 1 }
            nodes:
              conv: { op: conv2d, out_channels: $width, kernel: 3, padding: 1 }
              relu: { op: relu }
        graph:
          net: { op: conv2d, out_channels: 4, kernel: 3 }
          extra: { block: pair, width: 8 }
        outputs:
          out: extra
        """;

    private static SpecDiagnostic Only(string text, string file = "test.yaml")
    {
        FrontEndResult r = SpecFiles.ExpandText(text, file);
        Assert.True(r.Diagnostics.Count == 1, "Expected one diagnostic, got:\n" + string.Join("\n", r.Diagnostics));
        Assert.Null(r.Spec);
        return r.Diagnostics[0];
    }

    private static void AssertAt(SpecDiagnostic d, string id, int line, int column, string path = "specs/test.yaml")
    {
        Assert.True(d.Id == id && d.Location.Line == line && d.Location.Column == column && d.Location.Path == path,
            $"Expected {id} at {path}({line},{column}), got {d}");
        Assert.Equal(DiagnosticCatalog.All.Single(r => r.Id == id).Severity, d.Severity);
    }

    private static string Replace(string line, string with) => Valid.Replace(line, with);

    /// <summary>Asserts the only diagnostic of <paramref name="text"/> is <paramref name="id"/> at the first <paramref name="token"/> of line <paramref name="line"/>.</summary>
    private static void Expect(string text, string id, int line, string token)
    {
        string source = text.Split('\n')[line - 1];
        int column = source.IndexOf(token, StringComparison.Ordinal) + 1;
        Assert.True(column > 0, $"'{token}' is not on line {line}: {source}");
        SpecDiagnostic d = Only(text);
        AssertAt(d, id, line, column);
        Assert.True(d.Location.Length >= 1);
    }

    [Fact]
    public void Valid_spec_has_no_diagnostics()
    {
        FrontEndResult r = SpecFiles.ExpandText(Valid);
        Assert.True(r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics));
        Assert.Equal(new[] { "net", "extra.conv", "extra.relu" }, r.Spec!.Nodes.Select(n => n.Name));
        Assert.Equal(new[] { "net" }, r.Spec.Nodes[1].Inputs);
        Assert.Equal("8", r.Spec.Nodes[1].Get("out_channels"));
        Assert.Equal(16, r.Spec.Nodes[1].Attrs.Single(a => a.Key == "out_channels").Location.Line);
    }

    [Fact]
    public void NS0001_yaml_syntax() =>
        Expect(Replace("classes: 2", "classes: [2"), "NS0001", 1, "[");

    [Fact]
    public void NS0002_structure_unknown_top_level_key() =>
        Expect(Replace("classes: 2", "classes: 2\nclasess: 3"), "NS0002", 2, "clasess");

    [Fact]
    public void NS0002_structure_wrong_node_kind() =>
        Expect(Replace("  net: { op: conv2d, out_channels: 4, kernel: 3 }", "  net: [conv2d]"), "NS0002", 15, "[");

    [Fact]
    public void NS0003_unknown_op() =>
        Expect(Replace("relu: { op: relu }", "relu: { op: rleu }"), "NS0003", 13, "rleu");

    [Fact]
    public void NS0004_unknown_attribute() =>
        Expect(Replace("out_channels: 4, kernel: 3 }", "out_channels: 4, kernal: 3 }"), "NS0004", 15, "kernal");

    [Fact]
    public void NS0004_unknown_block_parameter() =>
        Expect(Replace("{ block: pair, width: 8 }", "{ block: pair, widht: 8 }"), "NS0004", 16, "widht");

    [Fact]
    public void NS0005_unknown_block() =>
        Expect(Replace("{ block: pair, width: 8 }", "{ block: piar, width: 8 }"), "NS0005", 16, "piar");

    [Fact]
    public void NS0006_unknown_tensor() =>
        Expect(Replace("relu: { op: relu }", "relu: { op: relu, in: convv }"), "NS0006", 13, "convv");

    [Fact]
    public void NS0007_value_out_of_range_points_at_the_instance_argument() =>
        Expect(Replace("{ block: pair, width: 8 }", "{ block: pair, width: 0 }"), "NS0007", 16, "0");

    [Fact]
    public void NS0007_wrong_type_of_attribute() =>
        Expect(Replace("out_channels: 4, kernel: 3 }", "out_channels: 4, kernel: big }"), "NS0007", 15, "big");

    [Fact]
    public void NS0007_attribute_out_of_its_declared_range() =>
        Expect(Replace("out_channels: 4, kernel: 3 }", "out_channels: 4, kernel: 16 }"), "NS0007", 15, "16");

    [Fact]
    public void NS0007_attribute_not_among_its_choices() =>
        Expect(Replace("  net: { op: conv2d, out_channels: 4, kernel: 3 }", "  net: { op: resize, in: image, size: 8, mode: cubic }"), "NS0007", 15, "cubic");

    [Fact]
    public void NS0008_missing_required_attribute() =>
        Expect(Replace("  net: { op: conv2d, out_channels: 4, kernel: 3 }", "  net: { op: conv2d, kernel: 3 }"), "NS0008", 15, "net");

    [Fact]
    public void NS0009_duplicate_name() =>
        Expect(Replace("      relu: { op: relu }", "      relu: { op: relu }\n      relu: { op: relu }"), "NS0009", 14, "relu");

    [Fact]
    public void NS0010_extends_file_not_found() =>
        Expect("extends: sanet-r05.yaml\n", "NS0010", 1, "sanet-r05.yaml");

    [Fact]
    public void NS0010_extends_cycle()
    {
        FrontEndResult r = SpecFrontEnd.Expand("specs/a.yaml", "extends: b.yaml\n", rel => rel == "b.yaml" ? "extends: a.yaml\n" : null);
        Assert.Single(r.Diagnostics);
        AssertAt(r.Diagnostics[0], "NS0010", 1, 10, "specs/b.yaml");
        Assert.Contains("a.yaml -> b.yaml -> a.yaml", r.Diagnostics[0].Message);
    }

    [Fact]
    public void NS0016_invalid_expression() =>
        Expect(Replace("out_channels: $width,", "out_channels: $width * * 2,"), "NS0016", 12, "* 2");

    [Fact]
    public void NS0017_unknown_variable() =>
        Expect(Replace("out_channels: $width,", "out_channels: $widht,"), "NS0017", 12, "$widht");

    [Fact]
    public void NS0018_reference_to_disabled_node() =>
        Expect(Replace("relu: { op: relu }", "relu: { op: relu, when: false }\n      last: { op: relu }"), "NS0018", 14, "last");

    [Fact]
    public void NS0019_used_before_defined() =>
        Expect(Replace("conv: { op: conv2d, out_channels: $width, kernel: 3, padding: 1 }",
            "conv: { op: conv2d, in: relu, out_channels: $width, kernel: 3, padding: 1 }"), "NS0019", 12, "relu");

    [Fact]
    public void NS0020_wrong_number_of_inputs() =>
        Expect(Replace("relu: { op: relu }", "relu: { op: add, in: [conv] }"), "NS0020", 13, "conv");

    [Fact]
    public void NS0021_block_recursion() =>
        Expect(Replace("relu: { op: relu }", "relu: { block: pair }"), "NS0021", 13, "pair");

    [Fact]
    public void NS0022_node_with_parameters_in_no_group() =>
        Expect(Replace("members: [net, extra]", "members: [extra]"), "NS0022", 15, "net");

    [Fact]
    public void NS0023_invalid_name() =>
        Expect(Replace("relu: { op: relu }", "re.lu: { op: relu }"), "NS0023", 13, "re.lu");

    [Fact]
    public void NS0021_expansion_too_large() =>
        Expect(Replace("relu: { op: relu }", "relu: { op: relu, repeat: 400 }\n  many:\n    nodes:\n      inner: { block: pair, repeat: 400 }")
            .Replace("extra: { block: pair, width: 8 }", "extra: { block: many }"), "NS0021", 13, "relu");

    [Fact]
    public void Extends_paths_are_relative_to_the_extending_file()
    {
        var asked = new List<string>();
        FrontEndResult r = SpecFrontEnd.Expand("specs/sub/a.yaml", "extends: ../base/b.yaml\n", rel =>
        {
            asked.Add(rel);
            return rel == "../base/b.yaml" ? "extends: c.yaml\n" : null;
        });
        Assert.Equal(new[] { "../base/b.yaml", "../base/c.yaml" }, asked);
        AssertAt(Assert.Single(r.Diagnostics), "NS0010", 1, 10, "specs/base/b.yaml");
    }

    [Fact]
    public void NS0023_invalid_class_name() =>
        Expect(Replace("classes: 2", "classes: 2\nclass: 2Fast"), "NS0023", 2, "2Fast");

    [Fact]
    public void NS0007_abstract_takes_a_bool() =>
        Expect(Replace("classes: 2", "classes: 2\nabstract: maybe"), "NS0007", 2, "maybe");

    [Fact]
    public void Override_of_an_undeclared_spec_parameter_is_NS0004() =>
        Expect("extends: sanet-tiny.yaml\nparams: { atention: se }\n", "NS0004", 2, "atention");

    [Fact]
    public void Bad_choice_in_an_override_points_at_the_overriding_file() =>
        Expect("extends: sanet-tiny.yaml\nparams: { attention: sse }\n", "NS0007", 2, "sse");

    [Fact]
    public void NS0024_unused_spec_parameter_is_a_warning_and_the_spec_still_expands()
    {
        string text = Replace("classes: 2", "classes: 2\nparams:\n  spare: { type: int, default: 3 }");
        FrontEndResult r = SpecFiles.ExpandText(text);
        Assert.NotNull(r.Spec);
        Assert.Single(r.Diagnostics);
        AssertAt(r.Diagnostics[0], "NS0024", 3, 3);
    }

    [Theory]
    [InlineData("relu: { op: relu }", "relu: { op: rleu }", "Did you mean 'relu'?")]
    [InlineData("out_channels: 4, kernel: 3 }", "out_channels: 4, kernal: 3 }", "Did you mean 'kernel'?")]
    [InlineData("{ block: pair, width: 8 }", "{ block: piar, width: 8 }", "Did you mean 'pair'?")]
    [InlineData("out_channels: $width,", "out_channels: $widht,", "Did you mean 'width'?")]
    [InlineData("relu: { op: relu }", "relu: { op: relu, in: convv }", "Did you mean 'conv'?")]
    [InlineData("classes: 2", "clases: 2", "Did you mean 'class' or 'classes'?")]
    public void Misspelt_names_get_a_suggestion(string line, string with, string hint)
    {
        FrontEndResult r = SpecFiles.ExpandText(Replace(line, with));
        Assert.Contains(r.Diagnostics, d => d.Message.Contains(hint, StringComparison.Ordinal));
    }

    [Fact]
    public void Unrelated_names_get_no_suggestion() =>
        Assert.DoesNotContain("Did you mean", Only(Replace("relu: { op: relu }", "relu: { op: transformer }")).Message);

    [Fact]
    public void Catalogue_ids_are_unique_and_numbered_in_order()
    {
        string[] ids = DiagnosticCatalog.All.Select(r => r.Id).ToArray();
        Assert.Equal(Enumerable.Range(1, ids.Length).Select(i => $"NS{i:0000}"), ids);
        Assert.Equal(Severity.Warning, DiagnosticCatalog.UnusedTensor.Severity);
    }

    [Fact]
    public void Every_rule_is_documented_with_an_example()
    {
        string doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "diagnostics.md"));
        foreach (DiagnosticDescriptor rule in DiagnosticCatalog.All)
            Assert.Contains($"## {rule.Id}", doc);
    }
}
