using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime;

/// <summary>
/// A network's parameters in two device buffers, so that the optimizer updates them all in one launch: the
/// values of every weight, then of every buffer and counter; and the gradients of the weights at the same
/// offsets as their values. Weights are grouped by update class (learning-rate multiplier, weight decay), in
/// the order each class first appears, and within a class kept in state_dict order; the
/// <see cref="Parameters"/> list keeps state_dict order. The arena's buffers are freed when its last
/// parameter is disposed.
/// </summary>
public sealed class ParameterArena
{
    private readonly MemoryBuffer1D<float, Stride1D.Dense> values;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>? grads;
    private int live;

    private ParameterArena(Accelerator accelerator, IReadOnlyList<ParameterSpec> specs)
    {
        // weights by class (first appearance), then buffers and counters; offsets in floats
        var classes = specs.Where(s => s.Kind == ParameterKind.Weight).Select(s => s.UpdateClass).Distinct().ToList();
        var order = specs.Select((s, i) => (s, i))
            .OrderBy(p => p.s.Kind == ParameterKind.Weight ? classes.IndexOf(p.s.UpdateClass) : classes.Count)
            .ThenBy(p => p.i)
            .ToList();
        var offsets = new long[specs.Count];
        long at = 0;
        foreach ((ParameterSpec s, int i) in order)
        {
            offsets[i] = at;
            at = AlignUp(at + s.Length);
            if (s.Kind == ParameterKind.Weight)
                WeightLength = at;
        }

        ValueLength = at;

        values = accelerator.Allocate1D<float>(Math.Max(1, at));
        DeviceData.Zero<float>(values.View);
        if (WeightLength > 0)
        {
            grads = accelerator.Allocate1D<float>(WeightLength);
            DeviceData.Zero<float>(grads.View);
        }

        var parameters = new Parameter[specs.Count];
        for (int i = 0; i < specs.Count; i++)
        {
            ParameterSpec s = specs[i];
            var value = new DeviceSlice(values.View.SubView(offsets[i], s.Length));
            DeviceSlice? grad = s.Kind == ParameterKind.Weight ? new DeviceSlice(grads!.View.SubView(offsets[i], s.Length)) : null;
            parameters[i] = new Parameter(s, value, grad, this, offsets[i]);
        }

        Parameters = parameters;
        live = parameters.Length;
    }

    /// <summary>
    /// Every parameter starts at a multiple of 64 floats (256 bytes, as cudaMalloc aligns a buffer of its own): cuBLAS
    /// picks its vectorised kernels only for aligned matrices. The floats between two parameters are never written
    /// but zero, so an update that runs over them leaves them zero (w −= lr·(0 + wd·0)).
    /// </summary>
    public const int AlignmentFloats = 64;

    /// <summary>The parameters in the order given (state_dict order).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Floats of every parameter's value with their alignment gaps: the values buffer's length (at least 1 allocated).</summary>
    public long ValueLength { get; }

    /// <summary>Floats of weights (with their alignment gaps) at the start of the arena (their gradients are as long).</summary>
    public long WeightLength { get; }

    public static ParameterArena Create(Accelerator accelerator, IReadOnlyList<ParameterSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var names = new HashSet<string>();
        foreach (ParameterSpec s in specs)
        {
            if (!names.Add(s.Name))
                throw new ArgumentException($"parameter name {s.Name} appears twice");
            if (s.Shape.Any(d => d <= 0))
                throw new ArgumentException($"parameter {s.Name}: shape ({string.Join(",", s.Shape)}) has a dimension below 1");
        }

        return new ParameterArena(accelerator, specs);
    }

    /// <summary>Where the parameter after one ending at <paramref name="end"/> starts.</summary>
    public static long AlignUp(long end) => (end + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;

    /// <summary>The values of the weights, [0, <see cref="WeightLength"/>).</summary>
    internal ArrayView1D<float, Stride1D.Dense> WeightValues => values.View.SubView(0, WeightLength);

    internal ArrayView1D<float, Stride1D.Dense> WeightGrads => grads!.View;

    // a parameter let go of its slices; the last one frees the buffers
    internal void Release()
    {
        if (Interlocked.Decrement(ref live) != 0)
            return;
        values.Dispose();
        grads?.Dispose();
    }
}
