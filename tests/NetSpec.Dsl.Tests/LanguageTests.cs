using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>Language features on small specs: expressions, conditionals, stages, train_only, extends, anchors.</summary>
public class LanguageTests
{
    private const string Head = """
        classes: 3
        sizes: { N: 2, H: 16, W: 16 }
        inputs:
          image: { shape: [N, 3, H, W] }
        groups:
          all: { members: [net] }
        outputs:
          out: net
        """;

    private static ExpandedSpec Ok(string text, bool allowWarnings = false)
    {
        FrontEndResult r = SpecFiles.ExpandText(text);
        Assert.True(r.Diagnostics.All(d => allowWarnings && d.Severity == Severity.Warning), string.Join("\n", r.Diagnostics));
        return r.Spec!;
    }

    private static string Channels(string expression) => Ok(Head + $$"""

        params:
          a: { type: int, default: 7 }
          b: { type: int, default: 2 }
          k: { type: choice, values: [x, y], default: y }
        graph:
          net: { op: conv2d, out_channels: "{{expression}}", kernel: 1 }
        """, allowWarnings: true).Nodes[0].Get("out_channels")!;

    [Theory]
    [InlineData("$a * 4", "28")]
    [InlineData("$a / $b", "3")]
    [InlineData("-$a / $b + 10", "6")]
    [InlineData("$a % $b + 1", "2")]
    [InlineData("($a + 1) * $b", "16")]
    [InlineData("$a + 1 * $b", "9")]
    [InlineData("max(1, $a - 10)", "1")]
    [InlineData("min($a, $b, 5)", "2")]
    [InlineData("$k == y ? $a : $b", "7")]
    [InlineData("$k == 'x' or $a < 3 ? 1 : 2", "2")]
    [InlineData("not ($a > 3 and $b > 3) ? 11 : 12", "11")]
    public void Expressions_evaluate(string expression, string expected) =>
        Assert.Equal(expected, Channels(expression));

    [Fact]
    public void Float_attributes_are_canonical()
    {
        ExpandedSpec s = Ok(Head.Replace("members: [net]", "members: [net, bn]") + """

            graph:
              net: { op: conv2d, out_channels: 4, kernel: [3, 1], padding: [1, 0], bias: false }
              bn: { op: batchnorm, eps: 1e-5, momentum: 0.03 }
              drop: { op: dropout, p: 0.1 }
            """);
        Assert.Equal(new[] { "3,1", "1,0", "false" }, new[] { "kernel", "padding", "bias" }.Select(k => s.Nodes[0].Get(k)!));
        Assert.Equal(new[] { "1E-05", "0.03" }, new[] { "eps", "momentum" }.Select(k => s.Nodes[1].Get(k)!));
        Assert.Equal("0.1", s.Nodes[2].Get("p"));
    }

    [Fact]
    public void Train_only_marks_a_node_and_everything_inside_a_block()
    {
        ExpandedSpec s = Ok(Head.Replace("members: [net]", "members: [net, aux]") + """

            blocks:
              two:
                nodes:
                  conv: { op: conv2d, out_channels: 4, kernel: 1 }
                  relu: { op: relu }
            graph:
              net: { op: conv2d, out_channels: 4, kernel: 1 }
              aux: { block: two, in: net, train_only: true }
              drop: { op: dropout, in: net, train_only: $classes > 2 }
            """);
        Assert.Equal(new[] { "net:False", "aux.conv:True", "aux.relu:True", "drop:True" }, s.Nodes.Select(n => $"{n.Name}:{n.TrainOnly}"));
    }

    [Fact]
    public void Repeat_chains_instances_and_first_overrides_the_first()
    {
        ExpandedSpec s = Ok(Head + """

            blocks:
              unit:
                params: { stride: { type: int, default: 1 } }
                nodes:
                  conv: { op: conv2d, out_channels: 4, kernel: 3, stride: $stride, padding: 1 }
            graph:
              net: { block: unit, repeat: 3, first: { stride: 2 } }
            """);
        Assert.Equal(new[] { "net.0.conv:image:2", "net.1.conv:net.0.conv:1", "net.2.conv:net.1.conv:1" },
            s.Nodes.Select(n => $"{n.Name}:{n.Inputs[0]}:{n.Get("stride")}"));
        Assert.Equal("net.2.conv", s.Outputs[0].Tensor);
    }

    [Fact]
    public void Attribute_location_is_where_the_value_was_written()
    {
        ExpandedSpec s = Ok(Head + """

            blocks:
              unit:
                params: { width: int }
                nodes:
                  conv: { op: conv2d, out_channels: $width, kernel: 1 }
            graph:
              net: { block: unit, width: 5 }
            """);
        SourceLocation at = s.Nodes[0].Attrs.Single(a => a.Key == "out_channels").Location;
        Assert.Equal((15, 30, 1), (at.Line, at.Column, at.Length));
        Assert.Equal(13, s.Nodes[0].Location.Line);
    }

    [Fact]
    public void Extends_can_remove_and_add_entries()
    {
        const string text = """
            extends: sanet-tiny.yaml
            losses:
              cat: ~
            outputs:
              c4: backbone.c4
            """;
        ExpandedSpec s = Ok(text, allowWarnings: true);
        // Without the cat loss, alpha (its weight) has no effect: NS0024 says so.
        Assert.Equal("specs/sanet-r50.yaml(12,3): warning NS0024: Spec parameter 'alpha' is not used by this spec",
            Assert.Single(SpecFiles.ExpandText(text).Diagnostics).ToString());
        Assert.Equal(new[] { "mask", "dense" }, s.Losses.Select(l => l.Name));
        Assert.Equal("backbone.layer4.0.relu3", s.Outputs.Single(o => o.Name == "c4").Tensor);
        Assert.Equal("Test", s.ClassName);
    }

    [Fact]
    public void Attention_none_feeds_the_class_maps_from_the_backbone()
    {
        ExpandedSpec s = Ok("extends: sanet-tiny.yaml\nparams: { attention: none }\n");
        Assert.DoesNotContain(s.Nodes, n => n.Name.StartsWith("head.sa", StringComparison.Ordinal) || n.Name.StartsWith("head.se", StringComparison.Ordinal));
        Assert.Equal(new[] { "backbone.layer1.0.relu3" }, s.Nodes.Single(n => n.Name == "head.cls1").Inputs);
    }

    [Fact]
    public void Sa_gate_sigmoid_adds_a_sigmoid()
    {
        ExpandedSpec s = Ok("extends: sanet-tiny.yaml\nparams: { gate: sigmoid }\n");
        Assert.Equal(new[] { "head.sa1.sigmoid", "head.sa1.conv_res.5" }, s.Nodes.Single(n => n.Name == "head.sa1.mul").Inputs);
    }

    [Fact]
    public void Yaml_anchors_and_aliases_are_values()
    {
        ExpandedSpec s = Ok(Head.Replace("members: [net]", "members: [net, net2]") + """

            graph:
              net: &conv { op: conv2d, out_channels: 4, kernel: 1 }
              net2: *conv
            """);
        Assert.Equal(new[] { "net", "net2" }, s.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void Yaml_merge_keys_copy_entries_the_mapping_does_not_set()
    {
        ExpandedSpec s = Ok(Head.Replace("members: [net]", "members: [net, net2]") + """

            graph:
              net: &conv { op: conv2d, out_channels: 4, kernel: 1 }
              net2: { <<: *conv, out_channels: 8 }
            """);
        Assert.Equal(new[] { "4:1", "8:1" }, s.Nodes.Select(n => $"{n.Get("out_channels")}:{n.Get("kernel")}"));
    }

    [Fact]
    public void Losses_take_ignore_index_from_the_label_input()
    {
        Assert.All(SpecFiles.Expand("sanet-r50.yaml").Spec!.Nodes.Where(n => n.Name.StartsWith("loss.", StringComparison.Ordinal)),
            n => Assert.Equal("255", n.Get("ignore_index")));
        ExpandedSpec s = Ok("""
            extends: sanet-tiny.yaml
            inputs:
              label: { shape: [N, H, W], kind: label, ignore: 0 }
            losses:
              dense: { op: softmax_cross_entropy, in: [head.dense, label], ignore_index: 7, weight: $beta }
            """);
        Assert.Equal(new[] { "loss.mask:0", "loss.cat:0", "loss.dense:7" },
            s.Nodes.Where(n => n.Name.StartsWith("loss.", StringComparison.Ordinal)).Select(n => $"{n.Name}:{n.Get("ignore_index")}"));
    }

    [Theory]
    [InlineData("extends: sanet-r50.yaml\nclasses: 21\n")]
    [InlineData("extends: sanet-r50.yaml\ninputs:\n  label: { shape: [N, H, W], kind: label, ignore: 0 }\n")]
    [InlineData("extends: sanet-r101.yaml\nparams: { stem: standard }\n")]
    [InlineData("extends: sanet-r50.yaml\nparams: { gate: sigmoid, channels: 512, pool: 4 }\n")]
    [InlineData("extends: sanet-r50.yaml\nparams: { contract_dilation: false }\n")]
    public void Recipes_of_the_language_doc_expand_cleanly(string text) => Ok(text);
}
