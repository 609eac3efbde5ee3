using System;
using System.Collections.Generic;

namespace NetSpec.Dsl.Planning;

/// <summary>
/// The one arena placement algorithm, shared by the compiler's MemoryPlan (at build time, default sizes)
/// and the runtime's ArenaBinder (in a network's Prepare, at the prepared sizes): this file is compiled into both
/// NetSpec.Dsl and NetSpec.Runtime. Buffers are taken in <c>order</c>; each goes to the lowest offset (in 4-byte
/// slots, <see cref="Alignment"/>-aligned) that overlaps no placed buffer alive at the same time (buffer i is alive
/// from step <c>first[i]</c> to <c>last[i]</c> inclusive). Buffers missing from <c>order</c> get offset -1.
/// Arithmetic is checked: an arena past a long throws OverflowException, never wraps.
/// </summary>
internal static class FirstFitPlacement
{
    /// <summary>64 slots = 256 bytes.</summary>
    public const long Alignment = 64;

    public static long Align(long slots) => checked(slots + Alignment - 1) / Alignment * Alignment;

    public static long[] Place(long[] lengths, int[] first, int[] last, int[] order, out long peak)
    {
        long[] offsets = new long[lengths.Length];
        long[] aligned = new long[lengths.Length];
        for (int i = 0; i < lengths.Length; i++)
        {
            offsets[i] = -1;
            aligned[i] = Align(lengths[i]);
        }

        var placed = new List<int>(lengths.Length);
        var live = new List<int>();
        peak = 0;
        foreach (int i in order)
        {
            live.Clear();
            foreach (int j in placed)
                if (first[j] <= last[i] && first[i] <= last[j])
                    live.Add(j);

            // ties (equal offsets) do not change the result: both compare the same and the end taken is their maximum
            live.Sort((a, b) => offsets[a].CompareTo(offsets[b]));
            long offset = 0;
            foreach (int j in live)
            {
                if (checked(offset + aligned[i]) <= offsets[j])
                    break;
                offset = Math.Max(offset, checked(offsets[j] + aligned[j]));
            }

            offsets[i] = offset;
            placed.Add(i);
            peak = Math.Max(peak, checked(offset + aligned[i]));
        }

        return offsets;
    }
}
