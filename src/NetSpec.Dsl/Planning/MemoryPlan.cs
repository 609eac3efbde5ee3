using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Planning;

/// <summary>
/// Places buffers in one arena by first fit: buffers are taken in <see cref="Order"/> (largest first at the
/// spec's default sizes, decided at build time) and each goes to the lowest offset that overlaps no placed
/// buffer alive at the same time (<see cref="FirstFitPlacement"/>). The generated <c>Prepare</c> runs the same code, compiled
/// into the runtime (ArenaBinder), on the prepared sizes.
/// Offsets and sizes are in 4-byte slots, aligned to <see cref="Alignment"/> slots (256 bytes).
/// </summary>
public sealed record MemoryPlan(EquatableArray<PlannedBuffer> Buffers, EquatableArray<int> Order)
{
    public const long Alignment = FirstFitPlacement.Alignment;

    public static MemoryPlan Build(EquatableArray<PlannedBuffer> buffers, IReadOnlyDictionary<string, int> defaults)
    {
        long[] sizes = Sizes(buffers, defaults);
        int[] order = Enumerable.Range(0, buffers.Count).OrderByDescending(i => sizes[i]).ThenBy(i => buffers[i].First).ThenBy(i => i).ToArray();
        return new MemoryPlan(buffers, order.ToEquatableArray());
    }

    public static long[] Sizes(EquatableArray<PlannedBuffer> buffers, IReadOnlyDictionary<string, int> sizes) =>
        buffers.Select(b => Align(Shapes.Shape.Elements(b.Elements, sizes))).ToArray();

    public static long Align(long slots) => FirstFitPlacement.Align(slots);

    /// <summary>Offsets (slots) of every buffer at concrete sizes, and the arena's length (<see cref="FirstFitPlacement"/>, as Prepare runs it).</summary>
    public (long[] Offsets, long Peak) Place(IReadOnlyDictionary<string, int> sizes)
    {
        long[] offsets = FirstFitPlacement.Place(Sizes(Buffers, sizes), Buffers.Select(b => b.First).ToArray(), Buffers.Select(b => b.Last).ToArray(),
            Order.ToArray(), out long peak);
        return (offsets, peak);
    }

    public long PeakBytes(IReadOnlyDictionary<string, int> sizes) => checked(4 * Place(sizes).Peak);

    /// <summary>What the arena would need without reuse: every buffer in its own slot.</summary>
    public long SumBytes(IReadOnlyDictionary<string, int> sizes) => checked(4 * Sizes(Buffers, sizes).Sum());
}
