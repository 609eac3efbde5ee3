namespace NetSpec.Runtime.Ops;

/// <summary>An NCHW shape, passed to kernels by value (a Tensor carries a view, which kernels take separately).</summary>
public readonly record struct Dims(int N, int C, int H, int W)
{
    public static Dims Of(Tensor t) => new(t.N, t.C, t.H, t.W);

    public long Length => (long)N * C * H * W;
}
