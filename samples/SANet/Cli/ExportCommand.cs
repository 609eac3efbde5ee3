using System.ComponentModel;
using System.Globalization;
using NetSpec.Dsl.Model;
using NetSpec.Onnx;
using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Networks;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class ExportSettings : CommandSettings
{
    [CommandOption("--checkpoint <FILE>")]
    [Description("Weights (.safetensors) written by train; its metadata names the spec unless --spec does.")]
    public string? Checkpoint { get; init; }

    [CommandOption("--init-seed <SEED>")]
    [Description("No checkpoint: the weights a fresh training run starts from (needs --spec).")]
    public ulong? InitSeed { get; init; }

    [CommandOption("--onnx <FILE>")]
    [Description("The model file to write (atomically; an existing one only with --force).")]
    public string Onnx { get; init; } = "";

    [CommandOption("--size <HxW>")]
    [Description("Input height and width: 480, or 480x640 (default: the spec's sizes).")]
    public string? Size { get; init; }

    [CommandOption("--dynamic-batch")]
    [Description("The batch dimension is symbolic (N): the model runs any batch size.")]
    public bool DynamicBatch { get; init; }

    [CommandOption("--spec <SPEC>")]
    [Description("The spec, by name (sanet-tiny, …) or file: needed with --init-seed, or when the checkpoint names none.")]
    public string? Spec { get; init; }

    [CommandOption("--no-fold")]
    [Description("Keep batch norm as BatchNormalization nodes instead of folding it into the convolutions.")]
    public bool NoFold { get; init; }

    [CommandOption("--force")]
    [Description("Replace an existing --onnx file (a symbolic link is replaced, not written through).")]
    public bool Force { get; init; }
}

/// <summary>
/// <c>export</c>: the spec's eval graph and the checkpoint's weights as an ONNX model (opset 17) for ONNX Runtime and
/// other readers (docs/using-netspec.md, "Export to ONNX"). Everything is checked before anything is written.
/// </summary>
public sealed class ExportCommand : Command<ExportSettings>
{
    public override int Execute(CommandContext context, ExportSettings s, CancellationToken cancellationToken)
    {
        if (s.Onnx.Length == 0 || (s.Checkpoint is null) == (s.InitSeed is null))
            throw new UsageException("export needs --onnx FILE and one of --checkpoint FILE or --init-seed SEED (with --spec FILE)");
        if (s.InitSeed is not null && s.Spec is null)
            throw new UsageException("--init-seed needs --spec FILE: the spec whose fresh weights to export");
        OptionRules.OnnxOutput(s.Onnx, s.Force);
        (int? height, int? width) = OptionRules.ExportSize(s.Size);

        ExpandedSpec spec;
        OnnxWeights weights;
        if (s.Checkpoint is not null)
        {
            using SafeTensorsReader reader = SafeTensorsReader.Open(s.Checkpoint);
            CheckpointMetadata metadata = CheckpointMetadata.FromDictionary(reader.Metadata, s.Checkpoint);
            spec = s.Spec is not null ? SpecFile.Resolve(s.Spec).Spec
                : metadata.SpecName is string name
                    ? EmbeddedSpecs.Find(name) ?? throw new UsageException($"{s.Checkpoint}: names spec '{name}', which is not compiled into this build; pass --spec FILE")
                    : throw new UsageException($"{s.Checkpoint}: names no spec in its metadata; pass --spec FILE");
            weights = OnnxWeights.FromTensors(s.Checkpoint, reader.Tensors.Select(t => new WeightTensor(t.Name, t.Shape, reader.ReadFloats(t))));
        }
        else
        {
            (spec, string origin) = SpecFile.Resolve(s.Spec!);
            using var device = Device.Create("cpu");
            using INetwork network = NetworkRegistry.Create(spec.Name, spec.ClassName, origin, device);
            network.InitializeParameters(s.InitSeed!.Value);
            weights = OnnxWeights.FromNetwork(network);
        }

        int h = height ?? spec.DefaultSizes.FirstOrDefault(d => d.Symbol == "H")?.Value ?? 480;
        int w = width ?? spec.DefaultSizes.FirstOrDefault(d => d.Symbol == "W")?.Value ?? 480;
        var options = new OnnxExportOptions(h, w) { DynamicBatch = s.DynamicBatch, FoldBatchNorm = !s.NoFold };
        OnnxModel model = OnnxExporter.Export(spec, weights, options);
        model.Save(s.Onnx, s.Force);

        long bytes = new FileInfo(s.Onnx).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{spec.Name} → {s.Onnx}: {bytes:N0} bytes, opset {OnnxExportOptions.Opset}, input image {(s.DynamicBatch ? "N" : "1")}×3×{h}×{w}, " +
            $"outputs {string.Join(", ", model.Outputs)}, {model.NodeCount} nodes, batch norm {(s.NoFold ? "kept" : $"folded into {model.FoldedBatchNorms} convs")}"));
        if (model.LeftOutOutputs.Count > 0)
            Console.WriteLine($"left out (training only): {string.Join(", ", model.LeftOutOutputs)}");
        return 0;
    }
}
