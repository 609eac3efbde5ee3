using System.Globalization;
using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;
using NetSpec.Onnx.Export;
using NetSpec.Onnx.Format;

namespace NetSpec.Onnx;

/// <summary>
/// Exports a compiled spec and its weights to an ONNX model (opset <see cref="OnnxExportOptions.Opset"/>) for
/// inference: eval-mode batch norm (folded or kept), dropout dropped, training-only outputs and losses left out.
/// The model's input is the spec's image input (normalised, float32 NCHW), its outputs the spec's outputs by name.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Compiles <paramref name="spec"/> (the front end's result) and exports it.</summary>
    public static OnnxModel Export(ExpandedSpec spec, OnnxWeights weights, OnnxExportOptions options)
    {
        CompileResult compiled = SpecCompiler.Compile(spec);
        if (compiled.Network is null)
        {
            SpecDiagnostic? first = compiled.Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error);
            throw new OnnxExportException(first?.ToString() ?? $"{spec.Path}: spec {spec.Name} does not compile");
        }

        return Export(compiled.Network.Graph, weights, options);
    }

    public static OnnxModel Export(TypedGraph graph, OnnxWeights weights, OnnxExportOptions options)
    {
        ExpandedSpec spec = graph.Spec;
        if (options.Height < 1 || options.Width < 1 || options.BatchSize < 1)
            throw new OnnxExportException($"{spec.Path}: export size {options.BatchSize}×{options.Height}×{options.Width} must be positive");
        WeightCheck.Run(graph, weights);
        EvalPlan plan = EvalPlan.Build(graph);
        var sizes = TypedGraph.Sizes(options.BatchSize, options.Height, options.Width);
        foreach (TypedNode node in plan.Nodes)
        {
            long[] shape = Shape.Eval(node.Output, sizes);
            if (shape.Any(d => d < 1))
                throw new OnnxExportException($"{spec.Path}: at {options.Height}×{options.Width} node '{node.Name}' of {spec.Name} would be {string.Join("×", shape)}, a feature map with no pixels");
        }

        var writer = new GraphWriter(spec.Name);
        foreach (InputDecl input in spec.Inputs.Where(i => i.Kind == InputKind.Image))
            writer.Graph.Input.Add(GraphWriter.Value(input.Name, Dims(graph.Tensor(input.Name).Shape, sizes, options)));
        var folding = new AffineFolding(graph, plan.Nodes, options.FoldBatchNorm);
        var emitter = new OpEmitter(graph, weights, writer, options, folding);
        foreach (TypedNode node in plan.Nodes)
            emitter.Emit(node);

        foreach (OutputDecl output in plan.Outputs)
        {
            writer.Node("Identity", $"output.{output.Name}", [emitter.Name(output.Tensor)], output.Name);
            writer.Graph.Output.Add(GraphWriter.Value(output.Name, Dims(graph.Tensor(output.Tensor).Shape, sizes, options)));
        }

        if (writer.InitializerBytes > OnnxExportOptions.MaxInitializerBytes)
            throw new OnnxExportException($"{weights.Source}: {writer.InitializerBytes:N0} bytes of weights; a single-file ONNX model holds at most {OnnxExportOptions.MaxInitializerBytes:N0}");

        var model = new ModelProto
        {
            IrVersion = OnnxExportOptions.IrVersion,
            ProducerName = "NetSpec",
            ProducerVersion = options.ProducerVersion,
            DocString = $"{spec.Name} ({spec.Path}) exported by NetSpec for inference; input: normalised float32 NCHW images",
            Graph = writer.Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExportOptions.Opset });
        Meta(model, "netspec.spec", spec.Name);
        Meta(model, "netspec.classes", spec.NumClasses.ToString(CultureInfo.InvariantCulture));
        Meta(model, "netspec.batch_norm", options.FoldBatchNorm ? "folded" : "kept");
        Meta(model, "netspec.left_out_outputs", string.Join(",", plan.LeftOut));
        return new OnnxModel(model, plan.Outputs.Select(o => o.Name).ToList(), plan.LeftOut, folding.Count);
    }

    // a tensor's dims at the export size; the batch symbol stays symbolic with DynamicBatch
    private static IEnumerable<long?> Dims(EquatableArray<Dim> shape, IReadOnlyDictionary<string, int> sizes, OnnxExportOptions options) =>
        shape.Select(d => options.DynamicBatch && d.Symbol == "N" ? (long?)null : d.Eval(sizes));

    private static void Meta(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}
