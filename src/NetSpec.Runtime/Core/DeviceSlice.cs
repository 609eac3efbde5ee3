using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>A parameter's values or gradient: a slice of its <see cref="ParameterArena"/>'s buffer.</summary>
public sealed class DeviceSlice(ArrayView1D<float, Stride1D.Dense> view)
{
    public ArrayView1D<float, Stride1D.Dense> View { get; } = view;

    public long Length => View.Length;
}
