using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;
using NetSpec.Networks;
using NetSpec.Onnx.Tests.Support;
using NetSpec.Runtime;

namespace NetSpec.Onnx.Tests;

/// <summary>Exports that cannot be done: one-line errors naming the spec or weights and the node or tensor.</summary>
public class OnnxHostileTests
{
    private static readonly string TinyPath = SpecGraphs.RepoSpec("sanet-tiny");

    [Fact]
    public void An_op_without_an_onnx_form_names_the_node_and_the_spec()
    {
        TypedGraph graph = SpecGraphs.Compile(SpecGraphs.TestSpec("onnx-ops"));
        // an op this build does not know (a graph built by hand; the compiler reports NS0003): gate_sig becomes "softmax"
        TypedGraph changed = graph with
        {
            Nodes = graph.Nodes.Select(n => n.Name == "gate_sig" ? n with { Node = n.Node with { Op = "softmax" } } : n).ToEquatableArray(),
        };
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(changed, Weights(graph, d => new OnnxOps(d)), new OnnxExportOptions(20, 20)));
        Assert.Contains("node 'gate_sig' (op softmax)", e.Message);
        Assert.Contains(graph.Spec.Path, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void An_output_that_needs_a_loss_is_refused_by_name()
    {
        using var dir = new TempDir();
        File.Copy(SpecGraphs.TestSpec("onnx-ops"), dir["onnx-ops.yaml"]);
        File.WriteAllText(dir["loss-out.yaml"], "extends: onnx-ops.yaml\nname: loss-out\noutputs:\n  loss: loss.mask\n");
        TypedGraph graph = SpecGraphs.Compile(dir["loss-out.yaml"]);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(graph, Weights(graph, d => new OnnxOps(d)), new OnnxExportOptions(20, 20)));
        Assert.Contains("output 'loss' needs node 'loss.mask' (op softmax_cross_entropy), a loss", e.Message);
    }

    [Fact]
    public void An_output_that_is_the_label_is_left_out_and_one_that_is_the_image_is_a_copy()
    {
        using var dir = new TempDir();
        File.Copy(SpecGraphs.TestSpec("onnx-ops"), dir["onnx-ops.yaml"]);
        File.WriteAllText(dir["inputs-out.yaml"], "extends: onnx-ops.yaml\nname: inputs-out\noutputs:\n  lbl: label\n  img: image\n");
        TypedGraph graph = SpecGraphs.Compile(dir["inputs-out.yaml"]);
        OnnxModel model = OnnxExporter.Export(graph, Weights(graph, d => new OnnxOps(d)), new OnnxExportOptions(20, 20) { BatchSize = 2 });
        Assert.Equal(["mask", "fine", "corners", "img"], model.Outputs);
        Assert.Equal(["aux", "lbl"], model.LeftOutOutputs);
        float[] image = Parity.Image(2, 20, 20, 1);
        Assert.Equal(image, Parity.Ort(model.ToByteArray(), image, 2, 20, 20)["img"]);
    }

    [Fact]
    public void Weights_of_another_spec_are_listed_as_missing_or_unexpected()
    {
        TypedGraph tiny = SpecGraphs.Compile(TinyPath);
        OnnxWeights fcn = Weights(SpecGraphs.Compile(SpecGraphs.RepoSpec("fcn-tiny")), d => new FcnTiny(d));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(tiny, fcn, new OnnxExportOptions(96, 96)));
        Assert.StartsWith("network fcn-tiny: does not match spec sanet-tiny", e.Message);
        Assert.Contains("missing ", e.Message);
        Assert.Contains("head.sa1.conv_res.0.weight", e.Message);

        // and the other way round: sanet-tiny's weights hold fcn-tiny's and more
        TypedGraph fcnGraph = SpecGraphs.Compile(SpecGraphs.RepoSpec("fcn-tiny"));
        e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(fcnGraph, Weights(tiny, d => new SanetTiny(d)), new OnnxExportOptions(96, 96)));
        Assert.StartsWith("network sanet-tiny: does not match spec fcn-tiny", e.Message);
        Assert.Contains("unexpected ", e.Message);
        Assert.DoesNotContain("missing", e.Message);
    }

    [Fact]
    public void Weights_of_other_shapes_are_listed_with_both_shapes()
    {
        TypedGraph tiny = SpecGraphs.Compile(TinyPath);
        var source = Weights(tiny, d => new SanetTiny(d));
        var wrong = OnnxWeights.FromTensors("ckpt.safetensors", source.Names.Select(n => n == "head.cls1.weight"
            ? new WeightTensor(n, [21, 32, 1, 1], new float[21 * 32]) : source[n]));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(tiny, wrong, new OnnxExportOptions(96, 96)));
        Assert.Equal($"ckpt.safetensors: does not match spec sanet-tiny ({TinyPath}): mis-shaped 1 (head.cls1.weight [21,32,1,1], spec [6,32,1,1])", e.Message);
    }

    [Theory]
    [InlineData("backbone.stem.0.weight", float.NaN, "holds NaN at index 5")]
    [InlineData("backbone.stem.1.running_var", -1f, "holds a negative variance (-1) at index 5")]
    public void Unusable_values_name_the_tensor(string tensor, float value, string expected)
    {
        TypedGraph tiny = SpecGraphs.Compile(TinyPath);
        var source = Weights(tiny, d => new SanetTiny(d));
        var bad = OnnxWeights.FromTensors("w.safetensors", source.Names.Select(n =>
        {
            if (n != tensor)
                return source[n];
            float[] values = (float[])source[n].Values.Clone();
            values[5] = value;
            return source[n] with { Values = values };
        }));
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(tiny, bad, new OnnxExportOptions(96, 96)));
        Assert.Equal($"w.safetensors: tensor '{tensor}' {expected}" + (value < 0 ? "" : "; an exported model needs finite weights"), e.Message);
    }

    [Fact]
    public void A_size_with_empty_feature_maps_names_the_node()
    {
        TypedGraph tiny = SpecGraphs.Compile(TinyPath);
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(tiny, Weights(tiny, d => new SanetTiny(d)), new OnnxExportOptions(4, 4)));
        Assert.Contains("at 4×4 node '", e.Message);
        Assert.Contains("a feature map with no pixels", e.Message);
    }

    [Fact]
    public void Tensors_that_do_not_fill_their_shape_are_refused()
    {
        var e = Assert.Throws<OnnxExportException>(() => OnnxWeights.FromTensors("x.safetensors", [new WeightTensor("a", [2, 3], new float[5])]));
        Assert.Equal("x.safetensors: tensor 'a' has shape [2,3] but 5 values", e.Message);
    }

    private static OnnxWeights Weights(TypedGraph graph, Func<Device, INetwork> create)
    {
        using var device = Device.Create("cpu");
        using INetwork net = create(device);
        Parity.RandomWeights(net, graph, 1);
        return OnnxWeights.FromNetwork(net);
    }
}
