using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>A tensor's dims: (N,C,H,W) for activations, (N,H,W) for label maps, () for a loss scalar.</summary>
public static class Shape
{
    public static EquatableArray<Dim> Of(params Dim[] dims) => dims.ToEquatableArray();

    public static EquatableArray<Dim> Scalar => EquatableArray<Dim>.Empty;

    public static string Format(EquatableArray<Dim> shape) => "(" + string.Join(",", shape.Select(d => d.ToString())) + ")";

    public static long[] Eval(EquatableArray<Dim> shape, IReadOnlyDictionary<string, int> sizes) =>
        shape.Select(d => d.Eval(sizes)).ToArray();

    /// <summary>Number of elements (1 for a scalar).</summary>
    public static long Elements(EquatableArray<Dim> shape, IReadOnlyDictionary<string, int> sizes)
    {
        long n = 1;
        foreach (Dim d in shape)
            n = checked(n * d.Eval(sizes));
        return n;
    }
}
