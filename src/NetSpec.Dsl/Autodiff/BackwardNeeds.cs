using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Scheduling;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Autodiff;

/// <summary>Which inputs of a step carry gradient, and what its backward reads from forward: the op's rule, or the fused step's own.</summary>
public static class BackwardNeeds
{
    /// <summary>Input slots a gradient flows into (<see cref="OpRule.Differentiable"/>; every input of a fused step).</summary>
    public static bool Differentiable(ForwardStep step, TypedGraph graph, int slot) =>
        step.Kind != StepKind.Op || OpCatalog.Rule(graph.Node(step.Head).Op).Differentiable(slot);

    /// <summary>Forward tensors (inputs or output) the backward step reads; aux buffers (BN stats, argmax, masks) are Planning's.</summary>
    public static IEnumerable<string> SavedTensors(ForwardStep step, TypedGraph graph)
    {
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
            case StepKind.BatchNormAddRelu:
                return new[] { step.Inputs[0], step.Output };
            case StepKind.AttentionGate:
                return new[] { step.Inputs[0], step.Inputs[1] };
        }

        SavedTensors saved = OpCatalog.Rule(graph.Node(step.Head).Op).Saved;
        IEnumerable<string> inputs = saved.Inputs.Select(slot => step.Inputs[slot]);
        return saved.Output ? inputs.Concat(new[] { step.Output }) : inputs;
    }
}
