namespace NetSpec.Runtime;

/// <summary>What a parameter is before it has memory: name, PyTorch shape, kind, group, lr multiplier, weight decay.</summary>
public sealed record ParameterSpec(string Name, int[] Shape, ParameterKind Kind, string Group, float LrMult, bool WeightDecay)
{
    public long Length => Shape.Aggregate(1L, (n, d) => n * d);

    /// <summary>The optimizer's treatment of a weight: weights of one class share an update rule.</summary>
    internal (float LrMult, bool WeightDecay) UpdateClass => (LrMult, WeightDecay);
}
