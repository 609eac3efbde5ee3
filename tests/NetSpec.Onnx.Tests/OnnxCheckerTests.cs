using NetSpec.Dsl.Shapes;
using NetSpec.Networks;
using NetSpec.Onnx.Tests.Support;
using NetSpec.Runtime;

namespace NetSpec.Onnx.Tests;

/// <summary>Exported models pass ONNX's own checker (structure, opset schemas, and shape inference with full_check).</summary>
public class OnnxCheckerTests
{
    [OnnxCheckerFact]
    public void Exported_models_pass_the_onnx_checker()
    {
        using var dir = new TempDir();
        var cases = new (string Spec, Func<Device, INetwork> Create, bool Fold, bool Dynamic)[]
        {
            (SpecGraphs.RepoSpec("sanet-tiny"), d => new SanetTiny(d), true, true),
            (SpecGraphs.RepoSpec("sanet-tiny-se"), d => new SanetTinySe(d), false, false),
            (SpecGraphs.TestSpec("onnx-ops"), d => new OnnxOps(d), false, true),
        };
        foreach (var (spec, create, fold, dynamic) in cases)
        {
            TypedGraph graph = SpecGraphs.Compile(spec);
            using var device = Device.Create("cpu");
            using INetwork net = create(device);
            Parity.RandomWeights(net, graph, 2);
            string file = dir[graph.Spec.Name + ".onnx"];
            OnnxExporter.Export(graph, OnnxWeights.FromNetwork(net), new OnnxExportOptions(32, 32) { FoldBatchNorm = fold, DynamicBatch = dynamic })
                .Save(file, overwrite: false);
            var (code, output) = OnnxChecker.Check(file);
            Assert.True(code == 0, $"{graph.Spec.Name}: {output}");
            Assert.Contains("checked", output);
        }
    }
}
