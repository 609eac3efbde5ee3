using System.Linq;
using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Scheduling;
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
                    EmitGradientsReady(w, c, step.Forward);
                }
            }

            w.Line();
        }
    }

    /// <summary>
    /// After a step that writes weights' gradients (final then: no later step writes them), tells the device, so that
    /// a data-parallel trainer can start all-reducing them while backward goes on (docs/distributed.md, "Training").
    /// </summary>
    private static void EmitGradientsReady(CodeWriter w, EmitContext c, ForwardStep step)
    {
        var weights = step.Nodes.SelectMany(n => c.Node(n).Params).Where(p => p.Kind == ParamKind.Weight).ToList();
        if (weights.Count > 0)
            w.Line($"Device.GradientsReady({string.Join(", ", weights.Select(p => c.Param(p.Node, p.Role)))});");
    }

    private static void EmitStep(CodeWriter w, EmitContext c, BackwardStep b)
    {
        ForwardStep step = b.Forward;
        var site = new BackwardSite(w, c, b);
        string writes = string.Join(", ", b.InputGrads.Select(g => $"d({g.Tensor}) {(g.Accumulate ? "+=" : "=")}"));
        w.Line($"// {CSharpText.Comment($"{string.Join(" + ", step.Nodes)}: {Describe.Step(c, step)}{(writes.Length > 0 ? "; " + writes : "")}")}");
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
                BatchNormOp.EmitBackward(site, relu: true);
                return;
            case StepKind.BatchNormAddRelu:
                BatchNormOp.EmitBackwardWithResidual(site);
                return;
            case StepKind.AttentionGate:
                w.Line($"AttentionGate.Backward({site.Device}, {site.Input(0)}, {site.Input(1)}, {site.OutputGrad}, {site.InputGrad(0)}, {site.InputGrad(1)}, accumulateAttention: {site.Accumulate(0)}, accumulateResidual: {site.Accumulate(1)});");
                return;
        }

        OpCatalog.Rule(site.Node.Op).EmitBackward(site);
    }
}
