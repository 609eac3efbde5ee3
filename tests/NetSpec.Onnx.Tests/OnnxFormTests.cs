using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Shapes;
using NetSpec.Networks;
using NetSpec.Onnx.Tests.Support;
using NetSpec.Runtime;

namespace NetSpec.Onnx.Tests;

/// <summary>
/// Export is part of each op's one definition (<see cref="OpRule.Onnx"/>): every catalogue op either has a form that is
/// checked in ONNX Runtime, because specs/onnx-ops.yaml uses it (<see cref="OnnxParityTests"/>), or declares why it has
/// none, and the exporter then names the node and op. A new op can miss neither silently.
/// </summary>
public class OnnxFormTests
{
    [Fact]
    public void Every_op_with_an_onnx_form_is_in_the_parity_spec_and_every_other_says_why_not()
    {
        var used = SpecGraphs.Compile(SpecGraphs.TestSpec("onnx-ops")).Nodes.Select(n => n.Op).ToHashSet(StringComparer.Ordinal);
        var exportable = OpCatalog.Rules.Where(r => r.Onnx.IsExportable).Select(r => r.Name).ToList();
        Assert.Empty(exportable.Except(used));
        Assert.All(OpCatalog.Rules.Where(r => !r.Onnx.IsExportable), r => Assert.False(string.IsNullOrWhiteSpace(r.Onnx.NotExportable), r.Name));
        Assert.Contains("leaky_relu", exportable);
    }

    /// <summary>The parity spec's model holds only ONNX op types the nodes' rules declare (each ONNX node named after its spec node).</summary>
    [Fact]
    public void Each_onnx_node_is_of_a_type_its_rule_declares()
    {
        TypedGraph graph = SpecGraphs.Compile(SpecGraphs.TestSpec("onnx-ops"));
        using var device = Device.Create("cpu");
        using var net = new OnnxOps(device);
        Parity.RandomWeights(net, graph, 3);
        foreach (bool dynamic in new[] { false, true })
        {
            OnnxModel model = OnnxExporter.Export(graph, OnnxWeights.FromNetwork(net), new OnnxExportOptions(20, 20) { DynamicBatch = dynamic, FoldBatchNorm = false });
            foreach (var node in model.Proto.Graph.Node.Where(n => !n.Name.StartsWith("output.", StringComparison.Ordinal)))
            {
                TypedNode spec = graph.Node(node.Name.Split('/')[0]);
                Assert.Contains(node.OpType, OpCatalog.Rule(spec.Op).Onnx.OpTypes);
            }
        }
    }
}
