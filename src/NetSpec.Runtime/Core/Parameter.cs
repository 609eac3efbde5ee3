using ILGPU;
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
/// (<c>backbone.layer1.0.conv1.weight</c>), so checkpoints interoperate.
/// </summary>
public sealed class Parameter : IDisposable
{
    public Parameter(Accelerator accelerator, string name, int[] shape, ParameterKind kind, string group, float lrMult, bool weightDecay)
    {
        Name = name;
        Shape = shape;
        Kind = kind;
        Group = group;
        LrMult = lrMult;
        WeightDecay = weightDecay;
        long length = 1;
        foreach (int d in shape)
            length *= d;
        Length = length;
        Value = accelerator.Allocate1D<float>(length);
        DeviceData.Zero<float>(Value.View);
        if (kind == ParameterKind.Weight)
        {
            Grad = accelerator.Allocate1D<float>(length);
            DeviceData.Zero<float>(Grad.View);
        }
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

    public MemoryBuffer1D<float, Stride1D.Dense> Value { get; }

    /// <summary>Gradient of the total loss; null for buffers and counters.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense>? Grad { get; }

    public void Dispose()
    {
        Value.Dispose();
        Grad?.Dispose();
    }
}
