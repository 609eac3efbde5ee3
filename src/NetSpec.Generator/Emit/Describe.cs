using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Scheduling;

namespace NetSpec.Generator.Emit;

/// <summary>Short human descriptions of steps for comments: the fused steps' here, an op's from its rule.</summary>
internal static class Describe
{
    public static string Step(EmitContext c, ForwardStep step) => step.Kind switch
    {
        StepKind.BatchNormRelu => "batchnorm + relu (fused)",
        StepKind.BatchNormAddRelu => $"relu(batchnorm + {step.Inputs[1]}) (fused)",
        StepKind.AttentionGate => $"{step.Inputs[0]} * {step.Inputs[1]} + {step.Inputs[0]} (fused SA gate)",
        _ => OpCatalog.Rule(c.Node(step.Head).Op).Describe(c.Node(step.Head), step.Inputs),
    };
}
