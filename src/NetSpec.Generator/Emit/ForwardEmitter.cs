using System.Linq;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>Forward: one method per network stage, one runtime call (or emitted kernel) per step, shapes as comments.</summary>
internal static class ForwardEmitter
{
    public static void Emit(CodeWriter w, EmitContext c)
    {
        var stages = Stages.Group(c.Network.Forward, s => s.Head);
        w.Line("/// <summary>Runs the network on <see cref=\"Image\"/>; training: batch statistics, dropout and the losses.</summary>");
        using (w.Block("public void Forward(bool training)"))
        {
            w.Line("if (_arena is null)")
             .Line("    throw new InvalidOperationException(\"call Prepare before Forward\");")
             .Line("if (training && !_training)")
             .Line("    throw new InvalidOperationException(\"a training Forward needs Prepare(..., training: true)\");");
            foreach ((string method, var steps) in stages)
                w.Line(steps.All(s => s.TrainOnly) ? $"if (training)\n{new string(' ', 12)}Forward{method}(training);" : $"Forward{method}(training);");
        }

        w.Line();
        foreach ((string method, var steps) in stages)
        {
            using (w.Block($"private void Forward{method}(bool training)"))
            {
                bool first = true;
                foreach (ForwardStep step in steps)
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

    private static void EmitStep(CodeWriter w, EmitContext c, ForwardStep step)
    {
        TypedNode node = c.Node(step.Head);
        string y = c.Field(step.Output);
        string X(int slot) => c.Field(step.Inputs[slot]);
        w.Line($"// {CSharpText.Comment($"{string.Join(" + ", step.Nodes)}: {Describe.Step(c, step)} -> {Shape.Format(c.Tensor(step.Output).Shape)}")}");
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
                EmitStatistics(w, c, step, node);
                w.Line($"BatchNorm.Apply(Device, {X(0)}, {Aux(step, "mean")}, {Aux(step, "inv_std")}, {c.ParamView(node.Name, "weight")}, {c.ParamView(node.Name, "bias")}, {y}, relu: true);");
                return;
            case StepKind.AttentionGate:
                w.Line($"AttentionGate.Forward(Device, {X(0)}, {X(1)}, {y});");
                return;
        }

        string d = "Device";
        switch (node.Op)
        {
            case "conv2d":
                w.Line($"Conv2d.Forward({d}, {X(0)}, {c.ParamView(node.Name, "weight")}, {c.ParamView(node.Name, "bias")}, {y}, {Describe.ConvGeometry(node)});");
                break;
            case "batchnorm":
                EmitStatistics(w, c, step, node);
                w.Line($"BatchNorm.Apply({d}, {X(0)}, {Aux(step, "mean")}, {Aux(step, "inv_std")}, {c.ParamView(node.Name, "weight")}, {c.ParamView(node.Name, "bias")}, {y}, relu: false);");
                break;
            case "relu":
                w.Line($"Activation.Relu({d}, {X(0)}, {y});");
                break;
            case "sigmoid":
                w.Line($"Activation.Sigmoid({d}, {X(0)}, {y});");
                break;
            case "maxpool":
                w.Line($"Pooling.MaxForward({d}, {X(0)}, {y}, {Aux(step, "argmax")}, {Describe.PoolGeometry(node)});");
                break;
            case "avgpool":
                w.Line($"Pooling.AvgForward({d}, {X(0)}, {y}, {Describe.PoolGeometry(node)});");
                break;
            case "global_avg_pool":
                w.Line($"Pooling.GlobalAvgForward({d}, {X(0)}, {y});");
                break;
            case "linear":
                w.Line($"Linear.Forward({d}, {X(0)}, {c.ParamView(node.Name, "weight")}, {c.ParamView(node.Name, "bias")}, {y});");
                break;
            case "resize":
                w.Line(NodeAttrs.Raw(node.Node, "mode") == "nearest"
                    ? $"Resize.NearestForward({d}, {X(0)}, {y});"
                    : $"Resize.BilinearForward({d}, {X(0)}, {y}, alignCorners: {Names.Bool(NodeAttrs.Bool(node.Node, "align_corners"))});");
                break;
            case "concat":
                w.Line($"Concat.Forward({d}, {Names.Field(step.Head).TrimStart('@')}_inputs, {y});");
                break;
            case "add":
                w.Line($"Elementwise.Add({d}, {X(0)}, {X(1)}, {y});");
                break;
            case "mul":
                w.Line($"Elementwise.Mul({d}, {X(0)}, {X(1)}, {y});");
                break;
            case "dropout":
                w.Line("if (training)")
                 .Line($"    Dropout.Forward({d}, {X(0)}, {y}, {Aux(step, "mask")}, p: {Names.Float(NodeAttrs.Float(node.Node, "p"))}, seed: StepSeed ^ 0x{Names.Salt(node.Name):X16}UL);")
                 .Line("else")
                 .Line($"    Elementwise.Copy({d}, {X(0)}, {y}, accumulate: false);");
                break;
            case "softmax_cross_entropy":
                w.Line($"Losses.SoftmaxCrossEntropy({d}, {X(0)}, {X(1)}, ignoreIndex: {NodeAttrs.Int(node.Node, "ignore_index", 255)}, {y});");
                break;
            case "bce_with_logits":
                w.Line($"Losses.BceWithLogitsPresence({d}, {X(0)}, {X(1)}, ignoreIndex: {NodeAttrs.Int(node.Node, "ignore_index", 255)}, {y});");
                break;
        }
    }

    private static void EmitStatistics(CodeWriter w, EmitContext c, ForwardStep step, TypedNode bn)
    {
        string momentum = Names.Float(NodeAttrs.Float(bn.Node, "momentum", 0.1));
        string eps = Names.Float(NodeAttrs.Float(bn.Node, "eps", 1e-5));
        w.Line($"BatchNorm.Statistics(Device, {c.Field(step.Inputs[0])}, {Aux(step, "mean")}, {Aux(step, "inv_std")}, {c.ParamView(bn.Name, "running_mean")}, {c.ParamView(bn.Name, "running_var")}, {c.ParamView(bn.Name, "num_batches_tracked")}, momentum: {momentum}, eps: {eps}, training);");
    }

    public static string Aux(ForwardStep step, string suffix) => Names.Field($"{step.Head}.{suffix}");
}
