using ILGPU.Runtime;

namespace NetSpec.Runtime;

public enum ParameterKind
{
    /// <summary>Trained by the optimizer; has a gradient.</summary>
    Weight,

    /// <summary>Saved and loaded but not trained (BN running mean and variance).</summary>
    Buffer,

    /// <summary>An integer counter kept as one float on the device, saved as int64 (BN num_batches_tracked).</summary>
    Counter,
}

/// <summary>
/// A named tensor of a network's state, named as in a PyTorch state_dict
/// (<c>backbone.layer1.0.conv1.weight</c>), so checkpoints interoperate. Its values (and a weight's gradient)
/// live in a <see cref="ParameterArena"/>: a network's parameters share one (<see cref="ParameterArena.Create"/>),
/// a parameter made on its own has its own.
/// </summary>
public sealed class Parameter : IDisposable
{
    private int disposed;

    /// <summary>One parameter in an arena of its own (zeros).</summary>
    public Parameter(Accelerator accelerator, string name, int[] shape, ParameterKind kind, string group, float lrMult, bool weightDecay)
        : this(ParameterArena.Create(accelerator, [new ParameterSpec(name, shape, kind, group, lrMult, weightDecay)]).Parameters[0])
    {
    }

    internal Parameter(ParameterSpec spec, DeviceSlice value, DeviceSlice? grad, ParameterArena arena, long offset)
    {
        Name = spec.Name;
        Shape = spec.Shape;
        Kind = spec.Kind;
        Group = spec.Group;
        LrMult = spec.LrMult;
        WeightDecay = spec.WeightDecay;
        Length = spec.Length;
        Value = value;
        Grad = grad;
        Arena = arena;
        ArenaOffset = offset;
    }

    // the public constructor's: takes over the arena's only parameter
    private Parameter(Parameter only)
        : this(new ParameterSpec(only.Name, only.Shape, only.Kind, only.Group, only.LrMult, only.WeightDecay), only.Value, only.Grad, only.Arena, only.ArenaOffset)
    {
    }

    public string Name { get; }

    /// <summary>PyTorch shape, e.g. (K, C/groups, R, S) for a conv weight.</summary>
    public int[] Shape { get; }

    public long Length { get; }

    public ParameterKind Kind { get; }

    /// <summary>Parameter group from the spec (<c>backbone</c>, <c>head</c>).</summary>
    public string Group { get; }

    public float LrMult { get; }

    public bool WeightDecay { get; }

    public DeviceSlice Value { get; }

    /// <summary>Gradient of the total loss; null for buffers and counters.</summary>
    public DeviceSlice? Grad { get; }

    /// <summary>The arena holding <see cref="Value"/> and <see cref="Grad"/>.</summary>
    public ParameterArena Arena { get; }

    /// <summary>Floats from the arena's start to this parameter's values (and, for a weight, its gradient).</summary>
    public long ArenaOffset { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
            Arena.Release();
    }
}
