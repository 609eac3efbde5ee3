using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Planning;

/// <summary>
/// Places buffers in one arena by first fit: buffers are taken in <see cref="Order"/> (largest first at the
/// spec's default sizes, decided at build time) and each goes to the lowest offset that overlaps no placed
/// buffer alive at the same time. The generated <c>Prepare</c> runs the same loop on the prepared sizes.
/// Offsets and sizes are in 4-byte slots, aligned to <see cref="Alignment"/> slots (256 bytes).
/// </summary>
public sealed record MemoryPlan(EquatableArray<PlannedBuffer> Buffers, EquatableArray<int> Order)
{
    public const long Alignment = 64;

    public static MemoryPlan Build(EquatableArray<PlannedBuffer> buffers, IReadOnlyDictionary<string, int> defaults)
    {
        long[] sizes = Sizes(buffers, defaults);
        int[] order = Enumerable.Range(0, buffers.Count).OrderByDescending(i => sizes[i]).ThenBy(i => buffers[i].First).ThenBy(i => i).ToArray();
        return new MemoryPlan(buffers, order.ToEquatableArray());
    }

    public static long[] Sizes(EquatableArray<PlannedBuffer> buffers, IReadOnlyDictionary<string, int> sizes) =>
        buffers.Select(b => Align(Shapes.Shape.Elements(b.Elements, sizes))).ToArray();

    public static long Align(long slots) => checked(slots + Alignment - 1) / Alignment * Alignment;

    /// <summary>Offsets (slots) of every buffer at concrete sizes, and the arena's length.</summary>
    public (long[] Offsets, long Peak) Place(IReadOnlyDictionary<string, int> sizes)
    {
        long[] length = Sizes(Buffers, sizes);
        long[] offsets = new long[Buffers.Count];
        var placed = new List<int>();
        long peak = 0;
        foreach (int i in Order)
        {
            long offset = 0;
            foreach (int j in placed.Where(j => Buffers[j].Overlaps(Buffers[i])).OrderBy(j => offsets[j]))
            {
                if (offset + length[i] <= offsets[j])
                    break;
                offset = System.Math.Max(offset, checked(offsets[j] + length[j]));
            }

            offsets[i] = offset;
            placed.Add(i);
            peak = System.Math.Max(peak, checked(offset + length[i]));
        }

        return (offsets, peak);
    }

    public long PeakBytes(IReadOnlyDictionary<string, int> sizes) => checked(4 * Place(sizes).Peak);

    /// <summary>What the arena would need without reuse: every buffer in its own slot.</summary>
    public long SumBytes(IReadOnlyDictionary<string, int> sizes) => checked(4 * Sizes(Buffers, sizes).Sum());
}
