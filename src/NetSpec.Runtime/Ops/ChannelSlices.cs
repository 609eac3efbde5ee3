using ILGPU;

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
/// Inside a <see cref="ChannelSlices"/> group kernel, the calling thread's place: group <see cref="Index"/> = channel
/// <see cref="C"/>, slice <see cref="B"/>; thread <see cref="T"/> of <see cref="Size"/>; the channel's <see cref="M"/> =
/// N·H·W elements, a <see cref="Plane"/> of H·W each, in <see cref="Channels"/> channels.
/// </summary>
internal readonly record struct SliceThread(int Index, int C, int B, int T, int Size, int M, int Plane, int Channels)
{
    public int Stride(int slices) => slices * Size;

    public static SliceThread Here(Dims s, int slices)
    {
        int g = Grid.IdxX, size = Group.DimX, plane = s.H * s.W;
        return new SliceThread(g, g / slices, g % slices, Group.IdxX, size, s.N * plane, plane, s.C);
    }

    /// <summary>This thread's elements of its slice, two a step: e = B·Size + T, e + stride, then on by 2·stride.</summary>
    public ElementPairs Pairs(int slices)
    {
        int stride = Stride(slices), first = (B * Size) + T;
        return new ElementPairs(PlaneCursor.Of(first, Plane), PlaneCursor.Of(stride, Plane), first, stride, this);
    }
}

/// <summary>
/// A thread's walk over its slice of a channel, two elements a step so that both loads are issued before either is used:
/// <see cref="Take"/> gives the pair's NCHW addresses; where the second lies past the channel's end it is the first
/// again and <see cref="Two"/> is false (so it may be loaded, but not counted or stored).
/// </summary>
internal struct ElementPairs(PlaneCursor first, PlaneCursor step, int e, int stride, SliceThread place)
{
    private readonly PlaneCursor step = step;
    private readonly int stride = stride;
    private readonly SliceThread place = place;
    private PlaneCursor at = first;
    private int e = e;

    /// <summary>Whether the walk has passed the channel's end (no pair left).</summary>
    public readonly bool Done => e >= place.M;

    /// <summary>Whether the pair <see cref="Take"/> gave last has its second element inside the channel.</summary>
    public bool Two { get; private set; }

    /// <summary>The next pair's addresses (while not <see cref="Done"/>).</summary>
    public void Take(out int i1, out int i2)
    {
        int plane = place.Plane;
        Two = e + stride < place.M;
        i1 = at.Address(place.C, place.Channels, plane);
        at = at.Add(step, plane);
        i2 = Two ? at.Address(place.C, place.Channels, plane) : i1;
        at = at.Add(step, plane);
        e += 2 * stride;
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
