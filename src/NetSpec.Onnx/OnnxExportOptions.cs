namespace NetSpec.Onnx;

/// <summary>
/// What to export: the input size (the spec's H and W are fixed in the model; every shape follows from them), the
/// batch (fixed, or a symbolic <c>N</c> with <see cref="DynamicBatch"/>), and whether batch norm is folded into the
/// convolution before it (the default) or kept as a BatchNormalization node.
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>The ONNX operator set the model imports: 17 is read by ONNX Runtime 1.13 and later and by onnx 1.12's checker.</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with <see cref="Opset"/> 17.</summary>
    public const int IrVersion = 8;

    /// <summary>The largest model written: protobuf's 2 GiB message limit, less room for the graph itself.</summary>
    public const long MaxInitializerBytes = (2L << 30) - (64L << 20);

    public OnnxExportOptions(int height, int width)
    {
        Height = height;
        Width = width;
    }

    /// <summary>Input height (the spec's H).</summary>
    public int Height { get; init; }

    /// <summary>Input width (the spec's W).</summary>
    public int Width { get; init; }

    /// <summary>The batch size written into the model when <see cref="DynamicBatch"/> is false.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>The batch dimension is the symbol N: the model runs any batch size.</summary>
    public bool DynamicBatch { get; init; }

    /// <summary>Fold eval-mode batch norm into the preceding convolution (weights rescaled, bias shifted).</summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>Written as the model's producer_version.</summary>
    public string ProducerVersion { get; init; } = typeof(OnnxExportOptions).Assembly.GetName().Version?.ToString() ?? "0";
}
