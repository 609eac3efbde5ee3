using System.Collections.Generic;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>A pool's attributes: the window, its stride (the kernel when not written) and padding.</summary>
public sealed record PoolAttributes(IntPair Kernel, IntPair Stride, IntPair Padding) : OpAttributes
{
    /// <summary>As a conv window: dilation 1, one group.</summary>
    public ConvGeometry Geometry => new(Kernel.H, Kernel.W, Stride.H, Stride.W, Padding.H, Padding.W, 1, 1, 1);
}

/// <summary>What max and average pooling share: attributes (each with its own ranges), shape, FLOPs, description, geometry literal.</summary>
public abstract class PoolOp : OpRule<PoolAttributes>
{
    private readonly PairAttr kernel;
    private readonly OptionalPairAttr stride;
    private readonly PairAttr padding;

    protected PoolOp(string name, PairAttr kernel, OptionalPairAttr stride, PairAttr padding, string doc)
        : base(new OpSpec(name, 1, 1, new AttrSpec[] { kernel, stride, padding }, new string[0], new string[0], false, doc))
    {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    protected sealed override PoolAttributes ReadAttributes(AttrReader a)
    {
        IntPair window = a.Get(kernel);
        return new PoolAttributes(window, a.Get(stride) ?? window, a.Get(padding));
    }

    /// <summary>NS0014 when padding exceeds half the kernel or the window leaves no output.</summary>
    public sealed override EquatableArray<Dim>? Shape(ShapeContext x)
    {
        if (!x.Rank(0, 4))
            return null;
        ConvGeometry g = Of(x.Node).Geometry;
        if (2 * g.PadH > g.KernelH || 2 * g.PadW > g.KernelW)
            return x.Invalid($"padding ({g.PadH},{g.PadW}) must be at most half the kernel ({g.KernelH},{g.KernelW})", x.At(padding));
        return x.Windowed(g, x.X[0][1], kernel);
    }

    /// <summary>One per window element per output.</summary>
    public sealed override long Flops(OpNode node, IReadOnlyList<long[]> inputs, long[] output, long outElements)
    {
        PoolAttributes p = Of(node);
        return checked(outElements * p.Kernel.H * p.Kernel.W);
    }

    public sealed override string Describe(TypedNode node, IReadOnlyList<string> inputs)
    {
        ConvGeometry p = Of(node).Geometry;
        return $"{node.Op} {p.KernelH}x{p.KernelW} s{p.StrideH} p{p.PadH}";
    }

    /// <summary>The runtime's PoolGeometry for this node, as a C# expression.</summary>
    protected static string Geometry(TypedNode node)
    {
        ConvGeometry g = Of(node).Geometry;
        return $"new PoolGeometry({g.KernelH}, {g.KernelW}, {g.StrideH}, {g.StrideW}, {g.PadH}, {g.PadW})";
    }

    /// <summary>The ONNX window attributes: kernel_shape, strides, pads (top, left, bottom, right).</summary>
    protected static OnnxAttribute[] Window(TypedNode node)
    {
        ConvGeometry g = Of(node).Geometry;
        return new[]
        {
            OnnxAttribute.IntList("kernel_shape", g.KernelH, g.KernelW),
            OnnxAttribute.IntList("strides", g.StrideH, g.StrideW),
            OnnxAttribute.IntList("pads", g.PadH, g.PadW, g.PadH, g.PadW),
        };
    }
}
