using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>concat: (N, Cᵢ, H, W)… → (N, ΣCᵢ, H, W); the runtime call takes its inputs (and their gradients) as lists.</summary>
public sealed class ConcatOp() : OpRule(new OpSpec("concat", 2, 64, new AttrSpec[0], new string[0], new string[0], false, "Concatenate along channels."))
{
    public override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        IReadOnlyList<EquatableArray<Dim>> s = x.X;
        long channels = 0;
        for (int i = 0; i < s.Count; i++)
        {
            if (!x.Rank(i, 4))
                return null;
            if (!s[i][0].Equals(s[0][0]) || !s[i][2].Equals(s[0][2]) || !s[i][3].Equals(s[0][3]))
                return x.Mismatch($"'{x.Node.Inputs[0]}' {Shapes.Shape.Format(s[0])} and '{x.Node.Inputs[i]}' {Shapes.Shape.Format(s[i])} differ outside the channel dim");
            if (!s[i][1].IsConst)
                return x.Invalid($"channels of '{x.Node.Inputs[i]}' are not a constant");
            channels = checked(channels + s[i][1].Offset);
        }

        return Shapes.Shape.Of(s[0][0], Dim.Const(channels), s[0][2], s[0][3]);
    }

    /// <summary>A copy: no arithmetic.</summary>
    public override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements) => 0;

    public override SavedTensors Saved => SavedTensors.Nothing;

    public override bool TakesInputList => true;

    /// <summary>Concat along channels (axis 1).</summary>
    public override OnnxForm Onnx { get; } = OnnxForm.Node("Concat", _ => new[] { OnnxAttribute.Int("axis", 1) });

    public override void EmitForward(IForwardSite s) => s.Line($"Concat.Forward({s.Device}, {s.StepMember}_inputs, {s.Output});");

    public override void EmitBackward(IBackwardSite s) =>
        s.Line($"Concat.Backward({s.Device}, {s.OutputGrad}, {s.StepMember}_inputGrads, {s.StepMember}_accumulate);");
}
