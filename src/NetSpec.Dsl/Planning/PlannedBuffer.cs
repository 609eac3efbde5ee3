using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Planning;

public enum BufferKind
{
    /// <summary>A forward tensor (activation, graph input, loss scalar).</summary>
    Activation,

    /// <summary>The gradient of a forward tensor.</summary>
    Gradient,

    /// <summary>Per-channel batch mean saved by a BN step.</summary>
    Mean,

    /// <summary>Per-channel inverse standard deviation saved by a BN step.</summary>
    InvStd,

    /// <summary>Max-pool argmax (int32, stored in float slots).</summary>
    Argmax,

    /// <summary>Dropout mask.</summary>
    Mask,

    /// <summary>Integer class-id map (int32, stored in float slots).</summary>
    Labels,
}

/// <summary>
/// One arena buffer: <see cref="Elements"/> 4-byte slots (dims multiplied), alive from step
/// <see cref="First"/> to <see cref="Last"/> inclusive in the forward+backward schedule.
/// <see cref="Tensor"/> is the forward tensor it holds or is the gradient/auxiliary of.
/// </summary>
public sealed record PlannedBuffer(string Name, BufferKind Kind, string Tensor, EquatableArray<Dim> Elements, int First, int Last)
{
    public bool Overlaps(PlannedBuffer other) => First <= other.Last && other.First <= Last;
}
