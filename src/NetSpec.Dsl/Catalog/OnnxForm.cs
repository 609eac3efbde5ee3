using System;
using System.Collections.Generic;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// How an op appears in an exported ONNX model, in eval mode (<see cref="OpRule.Onnx"/>): the ONNX nodes and
/// initializers it writes through an <see cref="IOnnxSite"/>, or why it has no inference form. Neutral: no protobuf
/// here (the compiler is loaded by the generator); src/NetSpec.Onnx writes what the site is given. Two optional
/// facts let the exporter fold one node into another without knowing either op: <see cref="Affine"/> (the node is a
/// per-channel affine in eval, such as batch norm) and <see cref="Absorbs"/> (the node's weights can take in such an
/// affine that follows it, such as a conv's).
/// </summary>
public sealed class OnnxForm
{
    private readonly Action<IOnnxSite>? write;

    private OnnxForm(Action<IOnnxSite>? write, string? notExportable, string[] opTypes)
    {
        this.write = write;
        NotExportable = notExportable;
        OpTypes = opTypes;
    }

    /// <summary>Whether the op has an inference form (a node, nodes, or the identity).</summary>
    public bool IsExportable => write is not null;

    /// <summary>Why it has none (a loss: "a loss, which has no inference form in ONNX"); null when it has one.</summary>
    public string? NotExportable { get; }

    /// <summary>The ONNX op types it may write, for docs and tests (empty for the identity).</summary>
    public IReadOnlyList<string> OpTypes { get; }

    /// <summary>In eval the op is y = (x − center)·scale + shift per channel of dim 1 (its weights → the three vectors).</summary>
    public Func<TypedNode, Func<string, float[]>, ChannelAffine>? Affine { get; private set; }

    /// <summary>The op's output channels are the leading dim of a weight role and of an optional bias role, so an affine after it folds in.</summary>
    public AffineAbsorber? Absorbs { get; private set; }

    /// <summary>One ONNX node of <paramref name="opType"/> reading the node's inputs in order, without attributes.</summary>
    public static OnnxForm Node(string opType) => Node(opType, _ => new OnnxAttribute[0]);

    /// <summary>One ONNX node reading the node's inputs in order, its attributes from the node's typed record.</summary>
    public static OnnxForm Node(string opType, Func<TypedNode, OnnxAttribute[]> attributes) =>
        new(s => s.Write(opType, s.Inputs, attributes(s.Node)), null, new[] { opType });

    /// <summary>Nodes and initializers written by <paramref name="write"/>; <paramref name="opTypes"/> names the ONNX ops it uses.</summary>
    public static OnnxForm Written(Action<IOnnxSite> write, params string[] opTypes) => new(write, null, opTypes);

    /// <summary>The identity in eval (dropout): no node, the output is the input.</summary>
    public static OnnxForm Identity { get; } = new(s => s.Alias(), null, new string[0]);

    /// <summary>No inference form; <paramref name="reason"/> ends the exporter's error, which names the node and op.</summary>
    public static OnnxForm None(string reason) => new(null, reason, new string[0]);

    /// <summary>This form, declaring that in eval it is a per-channel affine (<see cref="Affine"/>).</summary>
    public OnnxForm WithAffine(Func<TypedNode, Func<string, float[]>, ChannelAffine> affine) =>
        new(write, NotExportable, (string[])OpTypes) { Affine = affine, Absorbs = Absorbs };

    /// <summary>This form, declaring that an affine after it folds into its <paramref name="weight"/> and <paramref name="bias"/> roles.</summary>
    public OnnxForm AbsorbingAffine(string weight, string bias) =>
        new(write, NotExportable, (string[])OpTypes) { Affine = Affine, Absorbs = new AffineAbsorber(weight, bias) };

    /// <summary>Writes the node's ONNX form; an op without one is reported by the exporter before it gets here.</summary>
    public void Write(IOnnxSite site) =>
        (write ?? throw new InvalidOperationException($"op {site.Node.Op} has no ONNX form: {NotExportable}"))(site);
}

/// <summary>y = (x − Center)·Scale + Shift for each channel c, in double (batch norm in eval: Scale = γ/√(σ² + ε)).</summary>
public sealed class ChannelAffine(double[] center, double[] scale, double[] shift)
{
    public double[] Center { get; } = center;

    public double[] Scale { get; } = scale;

    public double[] Shift { get; } = shift;
}

/// <summary>The roles an affine folds into: <see cref="Weight"/> (K, …) scaled per output channel, <see cref="Bias"/> (K), present or not.</summary>
public sealed class AffineAbsorber(string weight, string bias)
{
    public string Weight { get; } = weight;

    public string Bias { get; } = bias;
}
