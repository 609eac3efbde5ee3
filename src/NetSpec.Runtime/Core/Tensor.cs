using ILGPU;

namespace NetSpec.Runtime;

/// <summary>A float32 NCHW view of device memory, usually a slice of a network's planned arena.</summary>
public readonly record struct Tensor(ArrayView<float> View, int N, int C, int H, int W)
{
    public long Length => (long)N * C * H * W;

    public int Spatial => H * W;

    public override string ToString() => $"({N},{C},{H},{W})";
}

/// <summary>An int32 class-id map (N,H,W); pixels equal to the ignore label take no part in losses or metrics.</summary>
public readonly record struct LabelMap(ArrayView<int> View, int N, int H, int W)
{
    public long Length => (long)N * H * W;
}
