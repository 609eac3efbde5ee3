using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;
using static NetSpec.Dsl.Shapes.MiddleDiagnostics;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// What a shape rule sees: the node, its input shapes, and the helpers that report NS0012 (mismatch, naming both shapes)
/// and NS0014 (invalid configuration) at the node or at an attribute.
/// </summary>
public sealed class ShapeContext(OpNode node, IReadOnlyList<EquatableArray<Dim>> inputs, List<SpecDiagnostic> diagnostics)
{
    public OpNode Node => node;

    /// <summary>Input shapes by slot.</summary>
    public IReadOnlyList<EquatableArray<Dim>> X => inputs;

    public EquatableArray<Dim>? Invalid(string message, SourceLocation? at = null)
    {
        diagnostics.Add(Error(InvalidConfiguration, $"Invalid configuration of '{node.Name}': {node.Op} {message}", at ?? node.Location));
        return null;
    }

    public EquatableArray<Dim>? Mismatch(string message)
    {
        diagnostics.Add(Error(ShapeMismatch, $"Shape mismatch at '{node.Name}': {node.Op} {message}", node.Location));
        return null;
    }

    /// <summary>Where attribute <paramref name="attr"/> is written, or the node when it is not (for a diagnostic's location).</summary>
    public SourceLocation At(AttrSpec attr) => node.Where(attr.Name);

    public bool Rank(int input, int rank)
    {
        if (inputs[input].Count == rank)
            return true;
        Invalid($"input '{node.Inputs[input]}' {Shape.Format(inputs[input])} has rank {inputs[input].Count}, expected {rank}");
        return false;
    }

    /// <summary>The (N, channels, H', W') of a conv or pool window over input 0, or NS0014 when it has no pixels.</summary>
    public EquatableArray<Dim>? Windowed(ConvGeometry g, Dim channels, AttrSpec kernel)
    {
        var x = inputs;
        if (g.KernelH < 1 || g.KernelW < 1 || g.StrideH < 1 || g.StrideW < 1 || g.DilationH < 1 || g.DilationW < 1 || g.PadH < 0 || g.PadW < 0)
            return Invalid("kernel, stride and dilation must be positive and padding non-negative");
        Dim h = x[0][2].Window(g.KernelH, g.StrideH, g.PadH, g.DilationH);
        Dim w = x[0][3].Window(g.KernelW, g.StrideW, g.PadW, g.DilationW);
        if ((h.IsConst && h.Offset < 1) || (w.IsConst && w.Offset < 1))
            return Invalid($"output size ({h},{w}) is not positive for input {Shape.Format(x[0])}", At(kernel));
        return Shape.Of(x[0][0], channels, h, w);
    }
}
