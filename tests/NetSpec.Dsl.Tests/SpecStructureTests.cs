using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

public class SpecStructureTests
{
    private static ExpandedSpec Spec(string file) => SpecFiles.Expand(file).Spec!;

    private static int Blocks(ExpandedSpec s, string layer) =>
        s.Nodes.Count(n => n.Name.StartsWith($"backbone.{layer}.", StringComparison.Ordinal) && n.Name.EndsWith(".conv1", StringComparison.Ordinal));

    [Fact]
    public void Sanet_r50_has_3_4_6_3_bottlenecks_and_names_like_mmseg()
    {
        ExpandedSpec s = Spec("sanet-r50.yaml");
        Assert.Equal(new[] { 3, 4, 6, 3 }, new[] { "layer1", "layer2", "layer3", "layer4" }.Select(l => Blocks(s, l)));
        Assert.Equal("SanetR50", s.ClassName);
        Assert.Equal(59, s.NumClasses);
        string[] names = s.Nodes.Select(n => n.Name).ToArray();
        Assert.Equal(new[] { "backbone.stem.0", "backbone.stem.1", "backbone.stem.2" }, names.Take(3));
        Assert.Contains("backbone.maxpool", names);
        Assert.Contains("backbone.layer1.0.downsample.0", names);
        Assert.DoesNotContain("backbone.layer1.1.downsample.0", names);
        Assert.Contains("head.sa1.conv_res.0", names);
        Assert.Contains("head.sa4.conv_attn.3", names);
        Assert.Contains("head.fcn.4", names);
        Assert.DoesNotContain(names, n => n.StartsWith("backbone.conv1", StringComparison.Ordinal));
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Fact]
    public void Layer3_and_layer4_halve_the_first_dilation()
    {
        ExpandedSpec s = Spec("sanet-r50.yaml");
        string Dilation(string node) => s.Nodes.Single(n => n.Name == node).Get("dilation")!;
        Assert.Equal(new[] { "1", "2", "2", "4" }, new[] { "backbone.layer3.0.conv2", "backbone.layer3.1.conv2", "backbone.layer4.0.conv2", "backbone.layer4.1.conv2" }.Select(Dilation));
        Assert.Equal("2", s.Nodes.Single(n => n.Name == "backbone.layer2.0.conv2").Get("stride"));
        Assert.Equal("1", s.Nodes.Single(n => n.Name == "backbone.layer2.1.conv2").Get("stride"));
    }

    [Fact]
    public void Contract_dilation_false_keeps_the_stage_dilation_in_the_first_block()
    {
        FrontEndResult r = SpecFiles.ExpandText("extends: sanet-tiny.yaml\nparams: { contract_dilation: false }\n");
        Assert.True(r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics));
        Assert.Equal(new[] { "1", "1", "2", "4" }, new[] { 1, 2, 3, 4 }.Select(i => r.Spec!.Nodes.Single(n => n.Name == $"backbone.layer{i}.0.conv2").Get("dilation")));
        Assert.Equal(new[] { "1", "1", "1", "2" }, new[] { 1, 2, 3, 4 }.Select(i => SpecFiles.Expand("sanet-tiny.yaml").Spec!.Nodes.Single(n => n.Name == $"backbone.layer{i}.0.conv2").Get("dilation")));
    }

    [Fact]
    public void R101_differs_from_r50_only_in_layer3_depth()
    {
        ExpandedSpec r50 = Spec("sanet-r50.yaml"), r101 = Spec("sanet-r101.yaml");
        Assert.Equal(23, Blocks(r101, "layer3"));
        Assert.Equal(r50.Nodes.Count + (17 * 10), r101.Nodes.Count);
        Assert.Equal("SanetR101", r101.ClassName);
    }

    [Fact]
    public void Se_variant_has_se_modules_and_no_sa_pooling()
    {
        ExpandedSpec s = Spec("sanet-tiny-se.yaml");
        Assert.Contains(s.Nodes, n => n.Name == "head.se1.fc1" && n.Op == "linear");
        Assert.DoesNotContain(s.Nodes, n => n.Op == "avgpool");
        Assert.DoesNotContain(s.Nodes, n => n.Name.StartsWith("head.sa", StringComparison.Ordinal));
        // c1 has 32 channels = C: identity shortcut; c2 (64) needs the conv shortcut.
        Assert.DoesNotContain(s.Nodes, n => n.Name == "head.se1.shortcut.0");
        Assert.Contains(s.Nodes, n => n.Name == "head.se2.shortcut.0");
    }

    [Fact]
    public void Tiny_matches_its_description()
    {
        ExpandedSpec s = Spec("sanet-tiny.yaml");
        Assert.Equal(6, s.NumClasses);
        Assert.Equal(new[] { "N=8", "H=96", "W=96" }, s.DefaultSizes.Select(z => $"{z.Symbol}={z.Value}"));
        Assert.Equal(new[] { "16", "16", "32" }, new[] { 0, 3, 6 }.Select(i => s.Nodes.Single(n => n.Name == $"backbone.stem.{i}").Get("out_channels")));
        Assert.Equal(new[] { 1, 1, 1, 1 }, new[] { "layer1", "layer2", "layer3", "layer4" }.Select(l => Blocks(s, l)));
        Assert.Equal(new[] { "32", "64", "128", "256" }, new[] { 1, 2, 3, 4 }.Select(i => s.Nodes.Single(n => n.Name == $"backbone.layer{i}.0.conv3").Get("out_channels")));
        // layer1's input (32 channels) already has 4 x 8 channels at stride 1: identity shortcut.
        Assert.DoesNotContain(s.Nodes, n => n.Name == "backbone.layer1.0.downsample.0");
        Assert.Equal("0.1", s.Nodes.Single(n => n.Name == "head.fcn.3").Get("p"));
        Assert.Equal("64", s.Nodes.Single(n => n.Name == "head.fcn.0").Get("out_channels"));
    }

    [Fact]
    public void Heads_outputs_losses_and_groups_follow_the_paper()
    {
        ExpandedSpec s = Spec("sanet-r50.yaml");
        Assert.Equal(new[] { "mask:1", "cat:0.2", "dense:0.8" }, s.Losses.Select(l => $"{l.Name}:{l.Weight}"));
        Assert.Equal(new[] { "softmax_cross_entropy", "bce_with_logits", "softmax_cross_entropy" },
            s.Losses.Select(l => s.Nodes.Single(n => n.Output == l.Node).Op));
        Assert.Equal(new[] { "mask=head.mask_up", "dense=head.dense_up", "cat=head.cat_fc" }, s.Outputs.Select(o => $"{o.Name}={o.Tensor}"));
        OpNode up = s.Nodes.Single(n => n.Name == "head.mask_up");
        Assert.Equal(new[] { "head.mask_conv", "image" }, up.Inputs);
        Assert.Equal("true", up.Get("align_corners"));
        Assert.Equal(new[] { "head.up1", "head.cls2", "head.cls3", "head.cls4" }, s.Nodes.Single(n => n.Name == "head.concat").Inputs);
        Assert.Equal(new[] { "backbone:1", "head:10" }, s.Groups.Select(g => $"{g.Name}:{g.LrMult}"));
        Assert.All(s.Nodes.Where(n => n.Name.StartsWith("backbone.", StringComparison.Ordinal)), n => Assert.Equal("backbone", n.ParamGroup));
        Assert.All(s.Nodes.Where(n => n.Name.StartsWith("head.", StringComparison.Ordinal)), n => Assert.Equal("head", n.ParamGroup));
        Assert.Equal(new[] { "image:Image:N,3,H,W", "label:Label:N,H,W" }, s.Inputs.Select(i => $"{i.Name}:{i.Kind}:{string.Join(",", i.Dims)}"));
        Assert.Equal(255, s.Inputs[1].IgnoreLabel);
    }

    [Fact]
    public void Fcn_has_backbone_fcn_head_and_one_loss()
    {
        ExpandedSpec s = Spec("fcn-r50.yaml");
        Assert.Single(s.Losses);
        Assert.DoesNotContain(s.Nodes, n => n.Name.StartsWith("head.sa", StringComparison.Ordinal) || n.Name.StartsWith("head.cls", StringComparison.Ordinal));
        Assert.Equal(new[] { "head.fcn.0", "head.fcn.1", "head.fcn.2", "head.fcn.3", "head.fcn.4", "head.up" },
            s.Nodes.Where(n => n.Name.StartsWith("head.", StringComparison.Ordinal)).Select(n => n.Name));
        Assert.Equal(16, Blocks(s, "layer1") + Blocks(s, "layer2") + Blocks(s, "layer3") + Blocks(s, "layer4"));
    }

    [Fact]
    public void Every_input_is_defined_by_an_earlier_node_or_a_graph_input()
    {
        foreach (string file in RealSpecTests.Files)
        {
            ExpandedSpec s = Spec(file);
            var defined = new HashSet<string>(s.Inputs.Select(i => i.Name));
            foreach (OpNode n in s.Nodes)
            {
                Assert.All(n.Inputs, i => Assert.Contains(i, defined));
                Assert.True(defined.Add(n.Output), n.Output);
            }
        }
    }

    [Fact]
    public void Standard_stem_is_torchvision_conv1_bn1()
    {
        FrontEndResult r = SpecFiles.ExpandText("extends: sanet-tiny.yaml\nparams: { stem: standard }\n");
        Assert.True(r.Diagnostics.Count == 0, string.Join("\n", r.Diagnostics));
        string[] names = r.Spec!.Nodes.Select(n => n.Name).ToArray();
        Assert.Equal(new[] { "backbone.conv1", "backbone.bn1", "backbone.relu", "backbone.maxpool" }, names.Take(4));
        Assert.Equal("7", r.Spec.Nodes[0].Get("kernel"));
        Assert.Equal(new[] { "backbone.relu" }, r.Spec.Nodes[3].Inputs);
    }
}
