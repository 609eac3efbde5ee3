using System.Collections.Generic;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>maxpool: (N, C, H, W) → (N, C, H', W'); keeps each output's argmax (int32) for backward.</summary>
public sealed class MaxPoolOp() : PoolOp(
    "maxpool",
    new PairAttr("kernel", null, 1, 15),
    new OptionalPairAttr("stride", 1, 16, "defaults to the kernel"),
    new PairAttr("padding", 0, 0, 7),
    "Max pooling (floor mode); padding counts as -inf.")
{
    public override SavedTensors Saved => SavedTensors.Nothing;

    public override IEnumerable<AuxBuffer> Auxiliary(TypedNode node)
    {
        yield return new AuxBuffer("argmax", BufferKind.Argmax, node.Output);
    }

    /// <summary>MaxPool (floor mode, as NetSpec; ONNX pads with −∞ as NetSpec does).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Node("MaxPool", Window);

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Pooling.MaxForward({s.Device}, {s.Input(0)}, {s.Output}, {s.Aux("argmax")}, {Geometry(s.Node)});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Pooling.MaxBackward({s.Device}, {s.OutputGrad}, {s.Aux("argmax")}, {s.InputGrad(0)}, {Geometry(s.Node)}, accumulate: {s.Accumulate(0)});");
}
