namespace NetSpec.Runtime.Ops;

/// <summary>
/// How the batch-norm group kernels cover a channel of m = N·H·W elements: <see cref="PerChannel"/> groups of
/// <see cref="Group"/> threads each (group g: channel g / PerChannel, slice g % PerChannel); thread t of slice b takes
/// elements b·Group + t, then every <see cref="Stride"/> = PerChannel·Group. Each slice's reduction is one partial
/// (a tree inside the group), so a channel has at most <see cref="BatchNorm.MaxSlices"/> partials and every group of a
/// later kernel can finish the channel's reduction itself, in the same order, instead of a finishing launch.
/// </summary>
internal readonly record struct ChannelSlices(int PerChannel, int Group, int M)
{
    public int Stride => PerChannel * Group;

    /// <summary>Elements slice <paramref name="b"/> covers: whole strides, then what the last partial stride leaves it.</summary>
    public static int Count(int b, int perChannel, int group, int m)
    {
        int stride = perChannel * group;
        int rest = m % stride;
        int tail = rest - (b * group); // Math.Clamp throws, which kernels cannot
        tail = tail < 0 ? 0 : tail > group ? group : tail;
        return ((m / stride) * group) + tail;
    }
}

/// <summary>
/// A channel element e = n·H·W + p as its digits (image n, offset p in the plane), stepped by adding the stride's
/// digits (a compare and a subtract) instead of dividing per element; its address in NCHW is (n·C + c)·H·W + p.
/// </summary>
internal readonly record struct PlaneCursor(int N, int P)
{
    public static PlaneCursor Of(int e, int plane) => new(e / plane, e % plane);

    public PlaneCursor Add(PlaneCursor d, int plane)
    {
        int p = P + d.P;
        int carry = p >= plane ? 1 : 0;
        return new PlaneCursor(N + d.N + carry, p - (carry * plane));
    }

    public int Address(int c, int channels, int plane) => (((N * channels) + c) * plane) + P;
}
