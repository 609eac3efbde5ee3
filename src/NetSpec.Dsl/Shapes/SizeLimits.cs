using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// Limits the middle checks on a typed graph at the spec's default sizes, so that every later length, offset and
/// count (memory plans, reports, generated code) fits its type: a tensor or a parameter holds at most
/// <see cref="MaxElements"/> elements (kernels index with int), and the FLOPs of the network fit a long.
/// Arithmetic here is checked: a product too large for a long is reported, never wrapped.
/// </summary>
public static class SizeLimits
{
    public const long MaxElements = int.MaxValue;

    /// <summary>NS0028 for the first tensor or parameter over the limit, or FLOPs past a long; null when all fit.</summary>
    public static SpecDiagnostic? Check(TypedGraph graph)
    {
        IReadOnlyDictionary<string, int> sizes = graph.DefaultSizes;
        string at = string.Format(CultureInfo.InvariantCulture, "at the default sizes (N={0}, H={1}, W={2})", sizes["N"], sizes["H"], sizes["W"]);
        foreach (TensorInfo t in graph.Tensors)
        {
            long[] dims = Shape.Eval(t.Shape, sizes);
            if (Product(dims) is null)
            {
                string[] symbols = t.Shape.Where(d => !d.IsConst).Select(d => d.Symbol!).Distinct().ToArray();
                string lower = symbols.Length > 0 ? $"lower {string.Join(", ", symbols)} in sizes:" : "lower its channels";
                return Error($"Tensor '{t.Name}' {Shape.Format(t.Shape)} would have {Times(dims)} elements {at}, more than {MaxElements} (2^31-1); {lower}",
                    Where(graph, t));
            }
        }

        foreach (ParamInfo p in graph.Params)
        {
            if (Product(p.Shape.Select(d => (long)d).ToArray()) is null)
                return Error($"Parameter '{p.Name}' ({string.Join(",", p.Shape)}) would have {Times(p.Shape.Select(d => (long)d).ToArray())} elements, more than {MaxElements} (2^31-1)", graph.Node(p.Node).Node.Location);
        }

        try
        {
            long total = 0;
            foreach (TypedNode node in graph.Nodes)
            {
                var inputs = node.Node.Inputs.Select(i => Shape.Eval(graph.Tensor(i).Shape, sizes)).ToList();
                total = checked(total + FlopRules.Forward(node.Node, inputs, Shape.Eval(node.Output, sizes)));
            }
        }
        catch (OverflowException)
        {
            return Error($"The network's FLOPs {at} do not fit a 64-bit count; lower the sizes or the widths", graph.Spec.NameLocation);
        }

        return null;
    }

    /// <summary>The product of <paramref name="dims"/> when it is at most <see cref="MaxElements"/>, else null.</summary>
    public static long? Product(IEnumerable<long> dims)
    {
        long n = 1;
        foreach (long d in dims)
        {
            if (d < 0 || (d > 0 && n > MaxElements / d))
                return null;
            n *= d;
        }

        return n;
    }

    private static string Times(long[] dims) => string.Join("×", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

    private static SourceLocation Where(TypedGraph graph, TensorInfo t) =>
        t.Producer is string node ? graph.Node(node).Node.Location : graph.Spec.Inputs.First(i => i.Name == t.Name).Location;

    private static SpecDiagnostic Error(string message, SourceLocation at) => MiddleDiagnostics.Error(MiddleDiagnostics.TooLarge, message, at);
}
