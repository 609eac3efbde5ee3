using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Training;

/// <summary>
/// Weights that lie back to back in one <see cref="ParameterArena"/> (floats [Start, Start + Length) of its values
/// and gradients, with the zero alignment gaps between them), with their momentum buffer and their update classes (runs of one lr multiplier and decay): what one
/// SGD launch updates.
/// </summary>
internal sealed class SgdRun
{
    private SgdRun(ParameterArena arena, List<Parameter> weights, MemoryBuffer1D<float, Stride1D.Dense> velocity)
    {
        Weights = weights;
        Start = weights[0].ArenaOffset;
        Length = weights[^1].ArenaOffset + weights[^1].Length - Start;
        Values = arena.WeightValues.SubView(Start, Length);
        Grads = arena.WeightGrads.SubView(Start, Length);
        Velocity = velocity;
        foreach (Parameter p in weights)
        {
            long end = p.ArenaOffset + p.Length - Start;
            if (Classes.Count > 0 && Classes[^1].LrMult == p.LrMult && Classes[^1].Decay == p.WeightDecay)
                Classes[^1] = (end, p.LrMult, p.WeightDecay);
            else
                Classes.Add((end, p.LrMult, p.WeightDecay));
        }
    }

    public IReadOnlyList<Parameter> Weights { get; }

    public long Start { get; }

    public long Length { get; }

    public ArrayView1D<float, Stride1D.Dense> Values { get; }

    public ArrayView1D<float, Stride1D.Dense> Grads { get; }

    /// <summary>Momentum of the run's floats, zero at first.</summary>
    public MemoryBuffer1D<float, Stride1D.Dense> Velocity { get; }

    /// <summary>Update classes in order: where each ends (floats from Start), its lr multiplier, whether it decays.</summary>
    public List<(long End, float LrMult, bool Decay)> Classes { get; } = [];

    /// <summary>Where this run's classes start in the optimizer's class table.</summary>
    public int TableStart { get; set; }

    /// <summary>The weights as runs: by arena, in arena order, a new run wherever a gap (a weight not given) falls.</summary>
    public static List<SgdRun> Plan(Accelerator accelerator, IReadOnlyList<Parameter> weights)
    {
        var runs = new List<SgdRun>();
        foreach (var inArena in weights.GroupBy(p => p.Arena))
        {
            var ordered = inArena.OrderBy(p => p.ArenaOffset).ToList();
            int first = 0;
            for (int i = 1; i <= ordered.Count; i++)
            {
                if (i < ordered.Count && ordered[i].ArenaOffset == ParameterArena.AlignUp(ordered[i - 1].ArenaOffset + ordered[i - 1].Length))
                    continue;
                var run = ordered.GetRange(first, i - first);
                long length = run[^1].ArenaOffset + run[^1].Length - run[0].ArenaOffset;
                MemoryBuffer1D<float, Stride1D.Dense> velocity = accelerator.Allocate1D<float>(length);
                DeviceData.Zero<float>(velocity.View);
                runs.Add(new SgdRun(inArena.Key, run, velocity));
                first = i;
            }
        }

        return runs;
    }
}
