using NetSpec.Dsl.Shapes;
using NetSpec.Networks;
using NetSpec.Onnx.Tests.Support;
using NetSpec.Runtime;
using Xunit.Abstractions;

namespace NetSpec.Onnx.Tests;

/// <summary>
/// Exported models in ONNX Runtime against NetSpec's eval forward (CPU device, host code) on the same random image:
/// every output within <see cref="FloatBound"/>'s float32 bound. Random weights with non-trivial batch-norm statistics.
/// </summary>
public class OnnxParityTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("sanet-tiny", true)]
    [InlineData("sanet-tiny", false)]
    [InlineData("sanet-tiny-se", true)]
    [InlineData("fcn-tiny", true)]
    public void Repository_specs_match_in_onnx_runtime(string spec, bool fold) =>
        Check(SpecGraphs.RepoSpec(spec), d => Create(spec, d), 1, 96, 96, fold, dynamic: false, runs: [1]);

    [Fact]
    public void Sanet_r50_at_240_matches_in_onnx_runtime() =>
        Check(SpecGraphs.RepoSpec("sanet-r50"), d => new SanetR50(d), 1, 240, 240, fold: true, dynamic: false, runs: [1]);

    [Fact]
    public void A_dynamic_batch_model_runs_batches_of_one_and_three() =>
        Check(SpecGraphs.RepoSpec("sanet-tiny"), d => new SanetTiny(d), 1, 64, 80, fold: true, dynamic: true, runs: [1, 3]);

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(false, false)] // BatchNormalization as ORT computes it, not fused into the convs by ORT's optimiser
    public void Every_op_matches_in_onnx_runtime(bool fold, bool optimise) =>
        Check(SpecGraphs.TestSpec("onnx-ops"), d => new OnnxOps(d), 2, 20, 20, fold, dynamic: false, runs: [2], optimise);

    [Fact]
    public void The_op_spec_exports_what_it_should()
    {
        TypedGraph graph = SpecGraphs.Compile(SpecGraphs.TestSpec("onnx-ops"));
        using var device = Device.Create("cpu");
        using var net = new OnnxOps(device);
        Parity.RandomWeights(net, graph, 3);
        OnnxModel model = OnnxExporter.Export(graph, OnnxWeights.FromNetwork(net), new OnnxExportOptions(20, 20));

        Assert.Equal(["mask", "fine", "corners"], model.Outputs);
        Assert.Equal(["aux"], model.LeftOutOutputs); // train_only head
        Assert.Equal(3, model.FoldedBatchNorms);      // stem_bn, dil_bn, side_bn; post_bn follows an add, twice's conv is read twice
        Assert.Equal(
            ["Add", "AveragePool", "BatchNormalization", "Concat", "Conv", "Flatten", "Gemm", "GlobalAveragePool", "Identity", "LeakyRelu", "MaxPool", "Mul", "Relu", "Resize", "Sigmoid", "Unsqueeze"],
            model.OperatorTypes);
        var resize = model.Proto.Graph.Node.Where(n => n.OpType == "Resize")
            .ToDictionary(n => n.Name, n => string.Join(" ", n.Attribute.Select(a => a.S.ToStringUtf8())));
        Assert.Equal("linear align_corners", resize["up_ac"]);
        Assert.Equal("linear half_pixel", resize["up_hp"]);
        Assert.Equal("nearest asymmetric floor", resize["up_nn"]);
        Assert.Equal(0.2f, model.Proto.Graph.Node.Single(n => n.Name == "side_act").Attribute.Single(a => a.Name == "alpha").F);
        Assert.DoesNotContain(model.Proto.Graph.Node, n => n.Name is "drop" or "aux" || n.Name.StartsWith("loss", StringComparison.Ordinal));
    }

    private static INetwork Create(string spec, Device d) => spec switch
    {
        "sanet-tiny" => new SanetTiny(d),
        "sanet-tiny-se" => new SanetTinySe(d),
        "fcn-tiny" => new FcnTiny(d),
        _ => throw new ArgumentException(spec),
    };

    private void Check(string specPath, Func<Device, INetwork> create, int batch, int height, int width, bool fold, bool dynamic, int[] runs, bool optimise = true)
    {
        TypedGraph graph = SpecGraphs.Compile(specPath);
        using var device = Device.Create("cpu");
        using INetwork net = create(device);
        Parity.RandomWeights(net, graph, 11);
        var options = new OnnxExportOptions(height, width) { BatchSize = batch, DynamicBatch = dynamic, FoldBatchNorm = fold };
        OnnxModel model = OnnxExporter.Export(graph, OnnxWeights.FromNetwork(net), options);
        byte[] bytes = model.ToByteArray();
        var cost = FloatBound.PathCost(graph, height, width);
        log.WriteLine($"{graph.Spec.Name} {height}×{width}{(fold ? " folded" : " BN kept")}{(dynamic ? " dynamic batch" : "")}: {bytes.Length:N0} bytes, {model.NodeCount} nodes");
        foreach (int n in runs)
        {
            float[] image = Parity.Image(n, height, width, 5 + n);
            var ours = Parity.NetSpec(net, image, n, height, width, model.Outputs);
            var ort = Parity.Ort(bytes, image, n, height, width, optimise);
            Assert.Equal(model.Outputs.Order(), ort.Keys.Order());
            foreach (string output in model.Outputs)
            {
                var (diff, max) = Parity.Compare(ours[output], ort[output]);
                string tensor = graph.Spec.Outputs.First(o => o.Name == output).Tensor;
                double bound = FloatBound.Bound(cost[tensor], max);
                log.WriteLine($"  {output} batch {n}: max |ORT − NetSpec| = {diff:E2}, max |y| = {max:G4}, bound {bound:E2} (S = {cost[tensor]:F0})");
                Assert.True(max > 0, $"{output}: all zero, nothing compared");
                Assert.True(diff <= bound, $"{graph.Spec.Name} {output} batch {n}: max |ORT − NetSpec| = {diff:E3} above the float32 bound {bound:E3}");
            }
        }
    }
}
