using System.Linq;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>avgpool: (N, C, H, W) → (N, C, H', W'), padding counted in the divisor; backward needs no saved tensor.</summary>
public sealed class AvgPoolOp() : PoolOp(
    "avgpool",
    new PairAttr("kernel", null, 1, 64),
    new OptionalPairAttr("stride", 1, 64, "defaults to the kernel"),
    new PairAttr("padding", 0, 0, 32),
    "Average pooling (floor mode, padding counted, as PyTorch's default).")
{
    public override SavedTensors Saved => SavedTensors.Nothing;

    /// <summary>AveragePool with count_include_pad = 1 (floor mode, padding counted, as NetSpec).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Node("AveragePool", n => Window(n).Append(OnnxAttribute.Int("count_include_pad", 1)).ToArray());

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Pooling.AvgForward({s.Device}, {s.Input(0)}, {s.Output}, {Geometry(s.Node)});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Pooling.AvgBackward({s.Device}, {s.OutputGrad}, {s.InputGrad(0)}, {Geometry(s.Node)}, accumulate: {s.Accumulate(0)});");
}
