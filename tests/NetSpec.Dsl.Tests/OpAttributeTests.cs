using System.Globalization;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// Typed attributes: each op declares its attributes once (Catalog/Ops), the front end checks written values against
/// the declarations, and the op's record holds the written values with the declared defaults filled in.
/// </summary>
public class OpAttributeTests
{
    private static ExpandedSpec Ok(string text)
    {
        FrontEndResult r = SpecFiles.ExpandText(text);
        Assert.True(r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics));
        return r.Spec!;
    }

    private static OpAttributes Of(ExpandedSpec s, string node) => s.Nodes.Single(n => n.Name == node).Attributes;

    [Fact]
    public void Written_values_and_declared_defaults_reach_the_typed_record()
    {
        ExpandedSpec s = Ok("""
            classes: 2
            sizes: { N: 1, H: 16, W: 16 }
            inputs:
              image: { shape: [N, 3, H, W] }
            groups:
              all: { members: [conv, bn] }
            graph:
              conv: { op: conv2d, out_channels: 4, kernel: [3, 5], stride: 2, bias: false }
              bn: { op: batchnorm, eps: 0.001 }
              relu: { op: relu }
              pool: { op: maxpool, kernel: 3 }
              drop: { op: dropout, p: 0.25 }
              up: { op: resize, in: [drop, image], mode: nearest }
            outputs:
              out: up
            """);
        Assert.Equal(new Conv2dAttributes(4, new IntPair(3, 5), new IntPair(2, 2), new IntPair(0, 0), new IntPair(1, 1), 1, false), Of(s, "conv"));
        Assert.Equal(new BatchNormAttributes(0.001, 0.1), Of(s, "bn"));
        Assert.Equal(NoAttributes.Instance, Of(s, "relu"));
        Assert.Equal(new PoolAttributes(new IntPair(3, 3), new IntPair(3, 3), new IntPair(0, 0)), Of(s, "pool"));
        Assert.Equal(new DropoutAttributes(0.25), Of(s, "drop"));
        Assert.Equal(new ResizeAttributes(ResizeMode.Nearest, false, new IntPair(0, 0)), Of(s, "up"));
    }

    [Fact]
    public void A_loss_takes_its_label_inputs_ignore_in_the_typed_record_too()
    {
        ExpandedSpec s = Ok("""
            extends: sanet-tiny.yaml
            inputs:
              label: { shape: [N, H, W], kind: label, ignore: 0 }
            losses:
              dense: { op: softmax_cross_entropy, in: [head.dense, label], ignore_index: 7, weight: $beta }
            """);
        Assert.Equal(new LossAttributes(0), Of(s, "loss.mask"));
        Assert.Equal(new LossAttributes(0), Of(s, "loss.cat"));
        Assert.Equal(new LossAttributes(7), Of(s, "loss.dense"));
    }

    /// <summary>No attribute is declared and then ignored: each one's value changes its op's record.</summary>
    [Fact]
    public void Every_declared_attribute_is_read_into_the_record()
    {
        foreach (OpRule rule in OpCatalog.Rules)
        {
            var required = rule.Spec.Attrs.Where(a => a.Required).Select(a => Written(a, Candidates(a)[0])).ToList();
            foreach (AttrSpec attr in rule.Spec.Attrs)
            {
                var records = Candidates(attr)
                    .Select(text => rule.Bind(required.Where(w => w.Key != attr.Name).Append(Written(attr, text)).ToEquatableArray()))
                    .Distinct().Count();
                Assert.True(records > 1, $"{rule.Name}: attribute '{attr.Name}' does not change the typed record");
            }
        }
    }

    [Fact]
    public void Binding_rejects_what_the_front_end_never_passes()
    {
        OpRule conv = OpCatalog.Rule("conv2d");
        Attr Text(string key, string value) => new(key, value, new SourceLocation("x.yaml", 1, 1, 1));
        EquatableArray<Attr> Attrs(params Attr[] a) => a.ToEquatableArray();
        Assert.Throws<InvalidOperationException>(() => conv.Bind(Attrs(Text("out_channels", "4"), Text("kernel", "3"), Text("kernal", "3"))));
        Assert.Throws<InvalidOperationException>(() => conv.Bind(Attrs(Text("kernel", "3"))));
        Assert.Throws<FormatException>(() => conv.Bind(Attrs(Text("out_channels", "4"), Text("kernel", "3"), Text("bias", "yes"))));
        Assert.Throws<FormatException>(() => conv.Bind(Attrs(Text("out_channels", "4"), Text("kernel", "3,3,3"))));
    }

    /// <summary>Two or more valid canonical texts of the attribute (the first one also serves as a required value).</summary>
    private static string[] Candidates(AttrSpec a) => a.Type switch
    {
        AttrType.Int or AttrType.IntPair => new[] { a.Min, Math.Min(a.Min + 1, a.Max) }.Select(Text).ToArray(),
        AttrType.Float => new[] { a.Min, a.Max }.Select(Text).ToArray(),
        AttrType.Bool => new[] { "true", "false" },
        _ => a.Choices!,
    };

    private static string Text(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static Attr Written(AttrSpec a, string text) => new(a.Name, text, new SourceLocation("x.yaml", 1, 1, 1));
}
