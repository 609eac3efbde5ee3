using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>maxpool: (N, C, H, W) → (N, C, H', W'); keeps each output's argmax (int32) for backward.</summary>
public sealed class MaxPoolOp() : OpRule(new OpSpec("maxpool", 1, 1, new[]
{
    new AttrSpec("kernel", AttrType.IntPair, null, 1, 15),
    new AttrSpec("stride", AttrType.IntPair, null, 1, 16, Doc: "defaults to the kernel"),
    new AttrSpec("padding", AttrType.IntPair, "0", 0, 7),
}, new string[0], new string[0], false, "Max pooling (floor mode); padding counts as -inf."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x) => x.Pool();

    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => PoolText.Flops(node, outElements);

    public override SavedTensors Saved => SavedTensors.Nothing;

    public override IEnumerable<AuxBuffer> Auxiliary(TypedNode node)
    {
        yield return new AuxBuffer("argmax", BufferKind.Argmax, node.Output);
    }

    public override string Describe(TypedNode node, IReadOnlyList<string> inputs) => PoolText.Describe(node);

    public override void EmitForward(IForwardSite s) =>
        s.Line($"Pooling.MaxForward({s.Device}, {s.Input(0)}, {s.Output}, {s.Aux("argmax")}, {PoolText.Geometry(s.Node)});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Pooling.MaxBackward({s.Device}, {s.OutputGrad}, {s.Aux("argmax")}, {s.InputGrad(0)}, {PoolText.Geometry(s.Node)}, accumulate: {s.Accumulate(0)});");
}
