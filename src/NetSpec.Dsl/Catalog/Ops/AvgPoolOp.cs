using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>avgpool: (N, C, H, W) → (N, C, H', W'), padding counted in the divisor; backward needs no saved tensor.</summary>
public sealed class AvgPoolOp() : OpRule(new OpSpec("avgpool", 1, 1, new[]
{
    new AttrSpec("kernel", AttrType.IntPair, null, 1, 64),
    new AttrSpec("stride", AttrType.IntPair, null, 1, 64, Doc: "defaults to the kernel"),
    new AttrSpec("padding", AttrType.IntPair, "0", 0, 32),
}, new string[0], new string[0], false, "Average pooling (floor mode, padding counted, as PyTorch's default)."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Pool();

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => PoolText.Flops(node, outElements);

    public override SavedTensors Saved => SavedTensors.Nothing;

    public override string Describe(TypedNode node, IReadOnlyList<string> inputs) => PoolText.Describe(node);

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Pooling.AvgForward({s.Device}, {s.Input(0)}, {s.Output}, {PoolText.Geometry(s.Node)});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Pooling.AvgBackward({s.Device}, {s.OutputGrad}, {s.InputGrad(0)}, {PoolText.Geometry(s.Node)}, accumulate: {s.Accumulate(0)});");
}
