using ILGPU;
using ILGPU.Runtime;
using NetSpec.Dsl.Planning;

namespace NetSpec.Runtime;

/// <summary>
/// Hands out a generated network's buffers as slices of one arena. A network's Bind lists every buffer (number, shape)
/// and runs twice: while measuring, the binder records each length and hands out empty views; after <see cref="Place"/>,
/// it hands out each buffer's slice, or an empty view where the plan has no such buffer. Placement is the compiler's
/// (FirstFitPlacement, shared with its MemoryPlan), run on the prepared sizes with the build-time lifetimes and order.
/// </summary>
public sealed class ArenaBinder
{
    private readonly long[] _lengths;
    private long[]? _offsets;
    private ArrayView<float> _arena;

    /// <param name="buffers">How many buffers the network numbers (both plans together).</param>
    public ArenaBinder(int buffers) => _lengths = new long[buffers];

    /// <summary>The arena's length in bytes after <see cref="Place"/>.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Places the measured buffers (tables indexed by buffer number) and allocates the arena, freeing the previous one.</summary>
    public void Place(Accelerator accelerator, ref MemoryBuffer1D<float, Stride1D.Dense>? arena, int[] first, int[] last, int[] order)
    {
        long[] offsets = FirstFitPlacement.Place(_lengths, first, last, order, out long slots);
        arena?.Dispose();
        arena = accelerator.Allocate1D<float>(Math.Max(1, slots));
        (_arena, _offsets, PeakBytes) = (arena.View, offsets, 4 * slots);
    }

    /// <summary>Measuring: records the length and returns an empty view. Bound: the buffer's slice, or empty when not planned.</summary>
    public ArrayView<float> View(int buffer, long length)
    {
        if (_offsets is null)
        {
            _lengths[buffer] = length;
            return default;
        }

        return _offsets[buffer] < 0 ? default : _arena.SubView(_offsets[buffer], length);
    }

    /// <summary>An int32 buffer (max-pool argmax) in float slots.</summary>
    public ArrayView<int> Ints(int buffer, long length)
    {
        ArrayView<float> view = View(buffer, length);
        return view.IsValid ? view.Cast<int>() : default;
    }

    /// <summary>A (n,c,h,w) tensor.</summary>
    public Tensor Tensor(int buffer, int n, int c, int h, int w)
    {
        ArrayView<float> view = View(buffer, (long)n * c * h * w);
        return view.IsValid ? new Tensor(view, n, c, h, w) : default;
    }

    /// <summary>A (n,h,w) map of class labels.</summary>
    public LabelMap Labels(int buffer, int n, int h, int w)
    {
        ArrayView<float> view = View(buffer, (long)n * h * w);
        return view.IsValid ? new LabelMap(view.Cast<int>(), n, h, w) : default;
    }
}
