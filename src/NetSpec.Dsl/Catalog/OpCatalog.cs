using System.Collections.Generic;
using System.Linq;

namespace NetSpec.Dsl.Catalog;

public enum AttrType
{
    Int,

    /// <summary>An int, or a pair "h,w" written as [h, w] in YAML.</summary>
    IntPair,
    Float,
    Bool,

    /// <summary>One of <see cref="AttrSpec.Choices"/>.</summary>
    Choice,
}

/// <summary>One attribute an op accepts: type, default (canonical string; null = required) and range.</summary>
public sealed record AttrSpec(
    string Name,
    AttrType Type,
    string? Default,
    double Min = double.NegativeInfinity,
    double Max = double.PositiveInfinity,
    string[]? Choices = null,
    string Doc = "");

/// <summary>
/// A primitive op: its tensor inputs (MinInputs..MaxInputs), its attributes, and the names of the
/// parameters (trainable) and buffers (saved, not trained) it owns, as PyTorch names them.
/// Shapes, FLOPs and gradients are the middle's business (Shapes/, Autodiff/).
/// </summary>
public sealed record OpSpec(
    string Name,
    int MinInputs,
    int MaxInputs,
    AttrSpec[] Attrs,
    string[] Parameters,
    string[] Buffers,
    bool IsLoss,
    string Doc);

/// <summary>The op catalogue of docs/sanet.md. Blocks (bottleneck, SA, SE, FCN head) are written in YAML from these.</summary>
public static class OpCatalog
{
    private static readonly string[] None = new string[0];

    public static readonly IReadOnlyList<OpSpec> All = new[]
    {
        new OpSpec("conv2d", 1, 1, new[]
        {
            new AttrSpec("out_channels", AttrType.Int, null, 1, 65536),
            new AttrSpec("kernel", AttrType.IntPair, null, 1, 15),
            new AttrSpec("stride", AttrType.IntPair, "1", 1, 16),
            new AttrSpec("padding", AttrType.IntPair, "0", 0, 64),
            new AttrSpec("dilation", AttrType.IntPair, "1", 1, 64),
            new AttrSpec("groups", AttrType.Int, "1", 1, 65536),
            new AttrSpec("bias", AttrType.Bool, "true"),
        }, new[] { "weight", "bias" }, None, false, "2-D convolution, weight (K, C/groups, R, S); bias only when bias: true."),
        new OpSpec("batchnorm", 1, 1, new[]
        {
            new AttrSpec("eps", AttrType.Float, "1E-05", 0, 1),
            new AttrSpec("momentum", AttrType.Float, "0.1", 0, 1),
        }, new[] { "weight", "bias" }, new[] { "running_mean", "running_var", "num_batches_tracked" }, false,
            "Batch norm over N,H,W per channel; batch statistics in training, running statistics in eval."),
        new OpSpec("relu", 1, 1, new AttrSpec[0], None, None, false, "max(x, 0)."),
        new OpSpec("sigmoid", 1, 1, new AttrSpec[0], None, None, false, "1 / (1 + exp(-x))."),
        new OpSpec("maxpool", 1, 1, new[]
        {
            new AttrSpec("kernel", AttrType.IntPair, null, 1, 15),
            new AttrSpec("stride", AttrType.IntPair, null, 1, 16, Doc: "defaults to the kernel"),
            new AttrSpec("padding", AttrType.IntPair, "0", 0, 7),
        }, None, None, false, "Max pooling (floor mode); padding counts as -inf."),
        new OpSpec("avgpool", 1, 1, new[]
        {
            new AttrSpec("kernel", AttrType.IntPair, null, 1, 64),
            new AttrSpec("stride", AttrType.IntPair, null, 1, 64, Doc: "defaults to the kernel"),
            new AttrSpec("padding", AttrType.IntPair, "0", 0, 32),
        }, None, None, false, "Average pooling (floor mode, padding counted, as PyTorch's default)."),
        new OpSpec("global_avg_pool", 1, 1, new AttrSpec[0], None, None, false, "Mean over H,W: (N,C,H,W) -> (N,C,1,1)."),
        new OpSpec("linear", 1, 1, new[]
        {
            new AttrSpec("out_features", AttrType.Int, null, 1, 1 << 20),
            new AttrSpec("bias", AttrType.Bool, "true"),
        }, new[] { "weight", "bias" }, None, false, "Fully connected on (N,C,1,1) -> (N,out,1,1); weight (out, C)."),
        new OpSpec("resize", 1, 2, new[]
        {
            new AttrSpec("mode", AttrType.Choice, "bilinear", Choices: new[] { "bilinear", "nearest" }),
            new AttrSpec("align_corners", AttrType.Bool, "false"),
            new AttrSpec("size", AttrType.IntPair, "0", 0, 1 << 16, Doc: "target (h, w); or give a second input whose H,W to match"),
        }, None, None, false, "Resize to a fixed size or to the spatial size of the second input."),
        new OpSpec("concat", 2, 64, new AttrSpec[0], None, None, false, "Concatenate along channels."),
        new OpSpec("add", 2, 2, new AttrSpec[0], None, None, false, "Elementwise sum with broadcasting of size-1 dims."),
        new OpSpec("mul", 2, 2, new AttrSpec[0], None, None, false, "Elementwise product with broadcasting of size-1 dims."),
        new OpSpec("dropout", 1, 1, new[]
        {
            new AttrSpec("p", AttrType.Float, "0.5", 0, 0.999),
        }, None, None, false, "Inverted dropout in training (seeded), identity in eval."),
        new OpSpec("softmax_cross_entropy", 2, 2, new[]
        {
            new AttrSpec("ignore_index", AttrType.Int, "255", -1, 65535),
        }, None, None, true, "Softmax CE of logits (N,K,h,w) against a label map (N,h,w) of the same size; mean over non-ignored pixels."),
        new OpSpec("bce_with_logits", 2, 2, new[]
        {
            new AttrSpec("ignore_index", AttrType.Int, "255", -1, 65535),
        }, None, None, true, "BCE with logits (N,K,1,1) against class presence (N,K) derived from a label map; mean over N*K."),
    };

    private static readonly Dictionary<string, OpSpec> ByName = All.ToDictionary(o => o.Name);

    public static OpSpec? Find(string name) => ByName.TryGetValue(name, out OpSpec? op) ? op : null;
}
