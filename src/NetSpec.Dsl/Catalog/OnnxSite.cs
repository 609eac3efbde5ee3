using System.Collections.Generic;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>
/// Where an <see cref="OnnxForm"/> writes one node's ONNX form: src/NetSpec.Onnx implements it for one node at the
/// export size. Tensors are named by input slot, initializers by parameter role; the site supplies the ONNX names
/// (a state_dict name for a weight, a folded weight's name when an affine was folded in).
/// </summary>
public interface IOnnxSite
{
    TypedNode Node { get; }

    /// <summary>The ONNX name of input <paramref name="slot"/>'s tensor.</summary>
    string Input(int slot);

    /// <summary>The ONNX names of all inputs, in order.</summary>
    IReadOnlyList<string> Inputs { get; }

    /// <summary>The tensor the node writes (with an affine folded in, the affine's output).</summary>
    string Output { get; }

    /// <summary>The node's output shape at the export size (N the export batch).</summary>
    long[] OutputShape { get; }

    /// <summary>Whether the model's batch is symbolic: a size that includes N must be taken from a tensor at run time.</summary>
    bool DynamicBatch { get; }

    /// <summary>Whether the node has the parameter (or folded parameter) of this role.</summary>
    bool HasParam(string role);

    /// <summary>The float initializer of a parameter role, written on first use; its name.</summary>
    string Param(string role);

    /// <summary>An int64 initializer named <c>{node}/{suffix}</c>; its name.</summary>
    string Int64s(string suffix, params long[] values);

    /// <summary>The node's ONNX node: named as the node, writing <see cref="Output"/>.</summary>
    void Write(string opType, IEnumerable<string> inputs, params OnnxAttribute[] attributes);

    /// <summary>An intermediate node named <c>{node}/{suffix}</c> writing the tensor of that name; returns the name.</summary>
    string Inner(string opType, string suffix, IEnumerable<string> inputs, params OnnxAttribute[] attributes);

    /// <summary>No node: the output is input 0's tensor (the identity).</summary>
    void Alias();
}

public enum OnnxAttributeKind
{
    Int,
    Ints,
    Float,
    String,
}

/// <summary>An ONNX node attribute with its type, as ONNX readers require it (an INT 0 is still written).</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind, long[] ints, float number, string text)
    {
        Name = name;
        Kind = kind;
        Ints = ints;
        Number = number;
        Text = text;
    }

    public string Name { get; }

    public OnnxAttributeKind Kind { get; }

    /// <summary>The value of an INT (one element) or INTS attribute.</summary>
    public long[] Ints { get; }

    /// <summary>The value of a FLOAT attribute.</summary>
    public float Number { get; }

    /// <summary>The value of a STRING attribute.</summary>
    public string Text { get; }

    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, new[] { value }, 0, "");

    public static OnnxAttribute IntList(string name, params long[] values) => new(name, OnnxAttributeKind.Ints, values, 0, "");

    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float, new long[0], value, "");

    public static OnnxAttribute String(string name, string value) => new(name, OnnxAttributeKind.String, new long[0], 0, value);
}
