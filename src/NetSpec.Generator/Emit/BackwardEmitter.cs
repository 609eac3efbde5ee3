using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>
/// Backward: the forward schedule read in reverse, one method per stage. Each step reads its output's
/// gradient, writes (first consumer) or adds (<c>accumulate: true</c>) its inputs' gradients and writes its
/// parameters' gradients.
/// </summary>
internal static class BackwardEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        var stages = Stages.Group(c.Network.Backward.Steps, s => s.Forward.Head);
        w.Line("/// <summary>Gradients of the weighted total loss into every weight's Grad (written, not added).</summary>");
        using (w.Block("public void Backward()"))
        {
            w.Line("if (_arena is null || !_training)")
             .Line("    throw new InvalidOperationException(\"Backward needs Prepare(..., training: true) and a training Forward\");");
            foreach ((string method, _) in stages)
                w.Line($"Backward{method}();");
        }

        w.Line();
        foreach ((string method, var steps) in stages)
        {
            using (w.Block($"private void Backward{method}()"))
            {
                bool first = true;
                foreach (BackwardStep step in steps)
                {
                    if (!first)
                        w.Line();
                    first = false;
                    EmitStep(w, c, step);
                }
            }

            w.Line();
        }
    }

    private static void EmitStep(CodeWriter w, EmitContext c, BackwardStep b)
    {
        ForwardStep step = b.Forward;
        TypedNode node = c.Node(step.Head);
        string d = "Device";
        string dy = Names.Gradient(step.Output);
        string X(int slot) => c.Field(step.Inputs[slot]);
        GradTarget? Target(int slot) => b.InputGrads.FirstOrDefault(g => g.Slot == slot);
        string Dx(int slot) => Target(slot) is GradTarget t ? Names.Gradient(t.Tensor) : "default";
        string Acc(int slot) => Names.Bool(Target(slot)?.Accumulate ?? false);
        string writes = string.Join(", ", b.InputGrads.Select(g => $"d({g.Tensor}) {(g.Accumulate ? "+=" : "=")}"));
        w.Line($"// {CSharpText.Comment($"{string.Join(" + ", step.Nodes)}: {Describe.Step(c, step)}{(writes.Length > 0 ? "; " + writes : "")}")}");
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
                w.Line($"BatchNorm.Backward({d}, {X(0)}, {c.Field(step.Output)}, {dy}, {ForwardEmitter.Aux(step, "mean")}, {ForwardEmitter.Aux(step, "inv_std")}, {c.ParamView(node.Name, "weight")}, {Dx(0)}, {c.GradView(node.Name, "weight")}, {c.GradView(node.Name, "bias")}, relu: true, accumulate: {Acc(0)});");
                return;
            case StepKind.AttentionGate:
                w.Line($"AttentionGate.Backward({d}, {X(0)}, {X(1)}, {dy}, {Dx(0)}, {Dx(1)}, accumulateAttention: {Acc(0)}, accumulateResidual: {Acc(1)});");
                return;
        }

        switch (node.Op)
        {
            case "conv2d":
                if (Target(0) is not null)
                    w.Line($"Conv2d.BackwardInput({d}, {dy}, {c.ParamView(node.Name, "weight")}, {Dx(0)}, {Describe.ConvGeometry(node)}, accumulate: {Acc(0)});");
                w.Line($"Conv2d.BackwardParams({d}, {X(0)}, {dy}, {c.GradView(node.Name, "weight")}, {c.GradView(node.Name, "bias")}, {Describe.ConvGeometry(node)});");
                break;
            case "batchnorm":
                // the output is not saved (its buffer may hold another tensor by now): no ReLU, so backward never reads it
                w.Line($"BatchNorm.Backward({d}, {X(0)}, default, {dy}, {ForwardEmitter.Aux(step, "mean")}, {ForwardEmitter.Aux(step, "inv_std")}, {c.ParamView(node.Name, "weight")}, {Dx(0)}, {c.GradView(node.Name, "weight")}, {c.GradView(node.Name, "bias")}, relu: false, accumulate: {Acc(0)});");
                break;
            case "relu":
                w.Line($"Activation.ReluBackward({d}, {c.Field(step.Output)}, {dy}, {Dx(0)}, accumulate: {Acc(0)});");
                break;
            case "sigmoid":
                w.Line($"Activation.SigmoidBackward({d}, {c.Field(step.Output)}, {dy}, {Dx(0)}, accumulate: {Acc(0)});");
                break;
            case "maxpool":
                w.Line($"Pooling.MaxBackward({d}, {dy}, {ForwardEmitter.Aux(step, "argmax")}, {Dx(0)}, {Describe.PoolGeometry(node)}, accumulate: {Acc(0)});");
                break;
            case "avgpool":
                w.Line($"Pooling.AvgBackward({d}, {dy}, {Dx(0)}, {Describe.PoolGeometry(node)}, accumulate: {Acc(0)});");
                break;
            case "global_avg_pool":
                w.Line($"Pooling.GlobalAvgBackward({d}, {dy}, {Dx(0)}, accumulate: {Acc(0)});");
                break;
            case "linear":
                if (Target(0) is not null)
                    w.Line($"Linear.BackwardInput({d}, {dy}, {c.ParamView(node.Name, "weight")}, {Dx(0)}, accumulate: {Acc(0)});");
                w.Line($"Linear.BackwardParams({d}, {X(0)}, {dy}, {c.GradView(node.Name, "weight")}, {c.GradView(node.Name, "bias")});");
                break;
            case "resize":
                w.Line(NodeAttrs.Raw(node.Node, "mode") == "nearest"
                    ? $"Resize.NearestBackward({d}, {dy}, {Dx(0)}, accumulate: {Acc(0)});"
                    : $"Resize.BilinearBackward({d}, {dy}, {Dx(0)}, alignCorners: {Names.Bool(NodeAttrs.Bool(node.Node, "align_corners"))}, accumulate: {Acc(0)});");
                break;
            case "concat":
                w.Line($"Concat.Backward({d}, {dy}, {Names.Field(step.Head).TrimStart('@')}_inputGrads, {Names.Field(step.Head).TrimStart('@')}_accumulate);");
                break;
            case "add":
                w.Line($"Elementwise.AddBackward({d}, {dy}, {Dx(0)}, {Dx(1)}, accumulateA: {Acc(0)}, accumulateB: {Acc(1)});");
                break;
            case "mul":
                w.Line($"Elementwise.MulBackward({d}, {X(0)}, {X(1)}, {dy}, {Dx(0)}, {Dx(1)}, accumulateA: {Acc(0)}, accumulateB: {Acc(1)});");
                break;
            case "dropout":
                w.Line($"Dropout.Backward({d}, {dy}, {ForwardEmitter.Aux(step, "mask")}, {Dx(0)}, accumulate: {Acc(0)});");
                break;
            case "softmax_cross_entropy":
                w.Line($"Losses.SoftmaxCrossEntropyBackward({d}, {X(0)}, {X(1)}, ignoreIndex: {NodeAttrs.Int(node.Node, "ignore_index", 255)}, weight: {Names.Float(b.LossWeight)}, {Dx(0)}, accumulate: {Acc(0)});");
                break;
            case "bce_with_logits":
                w.Line($"Losses.BceWithLogitsPresenceBackward({d}, {X(0)}, {X(1)}, ignoreIndex: {NodeAttrs.Int(node.Node, "ignore_index", 255)}, weight: {Names.Float(b.LossWeight)}, {Dx(0)}, accumulate: {Acc(0)});");
                break;
        }
    }
}
