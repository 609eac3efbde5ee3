using ILGPU;
using ILGPU.Runtime;
using NetSpec.Dsl.Planning;

namespace NetSpec.Runtime.Tests.Networks;

/// <summary>
/// The arena a generated network's Prepare builds: first-fit placement (shared with the compiler's MemoryPlan) and the
/// binder's two passes. Expected offsets are worked out by hand in the comments (lengths in 4-byte slots, aligned to 64).
/// </summary>
public sealed class ArenaTests
{
    [Fact]
    public void Buffers_alive_together_never_overlap_and_dead_ones_share()
    {
        // a: 100 slots (→128) live 0..1; b: 64 live 1..2; c: 64 live 2..3; d: 10 (→64), not in the plan
        long[] lengths = { 100, 64, 64, 10 };
        int[] first = { 0, 1, 2, 0 }, last = { 1, 2, 3, 0 };
        long[] offsets = FirstFitPlacement.Place(lengths, first, last, new[] { 0, 1, 2 }, out long peak);
        // a at 0; b overlaps a → after a's 128; c overlaps b only (a died at 1) → 0, where a was
        Assert.Equal(new long[] { 0, 128, 0, -1 }, offsets);
        Assert.Equal(192, peak);
    }

    [Fact]
    public void A_gap_between_live_buffers_is_reused_when_it_fits()
    {
        // a, b, c all live 0..2 placed at 0, 64, 128; then b's lifetime ends: d (64, live 3..4) overlaps none → 0.
        // e (64, live 0..4) overlaps all: a at 0..64, b 64..128, c 128..192, d 0..64 → 192.
        long[] lengths = { 64, 64, 64, 64, 64 };
        int[] first = { 0, 0, 0, 3, 0 }, last = { 2, 2, 2, 4, 4 };
        long[] offsets = FirstFitPlacement.Place(lengths, first, last, new[] { 0, 1, 2, 3, 4 }, out long peak);
        Assert.Equal(new long[] { 0, 64, 128, 0, 192 }, offsets);
        Assert.Equal(256, peak);
    }

    [Fact]
    public void An_arena_past_a_long_throws_instead_of_wrapping() =>
        Assert.Throws<OverflowException>(() => FirstFitPlacement.Place(new[] { long.MaxValue - 10, 64 }, new[] { 0, 0 }, new[] { 0, 0 }, new[] { 0, 1 }, out _));

    [Fact]
    public void Binder_measures_then_hands_out_placed_slices()
    {
        using Device device = Device.Create("cpu");
        var binder = new ArenaBinder(3);
        MemoryBuffer1D<float, Stride1D.Dense>? arena = null;

        // first pass: lengths only, empty views
        Assert.False(binder.Tensor(0, 1, 2, 3, 4).View.IsValid); // 24 slots
        Assert.False(binder.Ints(1, 70).IsValid);
        Assert.False(binder.Labels(2, 1, 5, 5).View.IsValid); // 25 slots

        // buffer 0 live 0..1, 1 live 1..2, 2 not planned: 0 at 0 (24→64), 1 overlaps it → 64 (70→128); peak 192 slots
        binder.Place(device.Accelerator, ref arena, new[] { 0, 1, -1 }, new[] { 1, 2, -1 }, new[] { 0, 1 });
        Assert.Equal(4 * 192, binder.PeakBytes);
        Assert.Equal(192, arena!.Length);

        Tensor t = binder.Tensor(0, 1, 2, 3, 4);
        ArrayView<int> ints = binder.Ints(1, 70);
        Assert.Equal(24, t.View.Length);
        Assert.Equal(70, ints.Length);

        // the slices are where the plan put them: tensor 0 at slot 0, the ints at slot 64, neither overwriting the other
        t.View.CopyFromCPU(Enumerable.Repeat(1.5f, 24).ToArray());
        ints.CopyFromCPU(Enumerable.Range(1, 70).ToArray());
        float[] all = arena.GetAsArray1D();
        Assert.All(all[..24], v => Assert.Equal(1.5f, v));
        Assert.Equal(Enumerable.Range(1, 70), all[64..134].Select(BitConverter.SingleToInt32Bits));
        Assert.False(binder.Labels(2, 1, 5, 5).View.IsValid); // not in this plan
        arena.Dispose();
    }
}
