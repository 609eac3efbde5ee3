using System.Collections.Generic;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Autodiff;

/// <summary>The gradient rules' table: which inputs carry gradient, and what each backward reads from forward.</summary>
public static class BackwardNeeds
{
    /// <summary>Input slots a gradient flows into (the size reference of resize and the labels of a loss carry none).</summary>
    public static bool Differentiable(ForwardStep step, TypedGraph graph, int slot)
    {
        if (step.Kind != StepKind.Op)
            return true;
        string op = graph.Node(step.Head).Op;
        return op switch
        {
            "resize" or "softmax_cross_entropy" or "bce_with_logits" => slot == 0,
            _ => true,
        };
    }

    /// <summary>Forward tensors (inputs or output) the backward step reads; aux buffers (BN stats, argmax, masks) are Planning's.</summary>
    public static IEnumerable<string> SavedTensors(ForwardStep step, TypedGraph graph)
    {
        switch (step.Kind)
        {
            case StepKind.BatchNormRelu:
                return new[] { step.Inputs[0], step.Output };
            case StepKind.AttentionGate:
                return new[] { step.Inputs[0], step.Inputs[1] };
        }

        return graph.Node(step.Head).Op switch
        {
            "conv2d" or "linear" => new[] { step.Inputs[0] },
            "batchnorm" => new[] { step.Inputs[0] }, // x̂ from x and the saved statistics; the output only for a fused ReLU's mask
            "relu" or "sigmoid" => new[] { step.Output },
            "mul" => new[] { step.Inputs[0], step.Inputs[1] },
            "softmax_cross_entropy" or "bce_with_logits" => new[] { step.Inputs[0], step.Inputs[1] },
            _ => new string[0],
        };
    }
}
