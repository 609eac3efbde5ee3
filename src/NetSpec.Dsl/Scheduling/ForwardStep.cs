using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Scheduling;

public enum StepKind
{
    /// <summary>One op, one runtime call.</summary>
    Op,

    /// <summary>batchnorm then relu, the BN output used by nothing else: one fused apply, pre-ReLU tensor never stored.</summary>
    BatchNormRelu,

    /// <summary>
    /// batchnorm, add of its output and a same-shaped residual, relu (a ResNet bottleneck's end), each the sole consumer of
    /// the one before: one fused normalisation (<see cref="ForwardStep.Inputs"/>: x, residual), placed where the add was.
    /// </summary>
    BatchNormAddRelu,

    /// <summary>SA's gate <c>attn ⊙ res + attn</c> (a mul whose product is added to one of its factors): one fused kernel.</summary>
    AttentionGate,
}

/// <summary>
/// One step of the forward schedule. <see cref="Nodes"/> are the ops it runs (two when fused),
/// <see cref="Inputs"/> the tensors it reads (for AttentionGate: attn, res; for BatchNormAddRelu: x, residual), <see cref="Output"/> the tensor it writes.
/// </summary>
public sealed record ForwardStep(int Index, StepKind Kind, EquatableArray<string> Nodes, EquatableArray<string> Inputs, string Output, bool TrainOnly)
{
    /// <summary>The node that owns parameters and names the step (the BN of a BN+ReLU or BN+add+ReLU, the mul of a gate).</summary>
    public string Head => Nodes[0];
}
