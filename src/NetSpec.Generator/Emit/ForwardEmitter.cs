using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Generator.Emit;

/// <summary>Forward: one method per network stage, one runtime call per step (the op rule's, Catalog/Ops; fused steps here), shapes as comments.</summary>
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
        var site = new StepSite(w, c, step);
        w.Line($"// {CSharpText.Comment($"{string.Join(" + ", step.Nodes)}: {Describe.Step(c, step)} -> {Shape.Format(c.Tensor(step.Output).Shape)}")}");
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
                BatchNormOp.EmitForward(site, relu: true);
                return;
            case StepKind.BatchNormAddRelu:
                BatchNormOp.EmitForward(site, relu: true, residual: site.Input(1));
                return;
            case StepKind.AttentionGate:
                w.Line($"AttentionGate.Forward(Device, {site.Input(0)}, {site.Input(1)}, {site.Output});");
                return;
        }

        OpCatalog.Rule(site.Node.Op).EmitForward(site);
    }
}
