using System.Runtime.InteropServices;
using Google.Protobuf;
using NetSpec.Dsl.Catalog;
using NetSpec.Onnx.Format;

namespace NetSpec.Onnx.Export;

/// <summary>
/// Builds the ONNX graph: nodes in execution order, initializers (float32 as little-endian raw_data, int64 constants),
/// typed inputs and outputs. Attribute helpers write each attribute with its type, as ONNX readers require.
/// </summary>
internal sealed class GraphWriter
{
    public GraphWriter(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    /// <summary>Bytes of float and int64 initializers so far (the model's size is about this).</summary>
    public long InitializerBytes { get; private set; }

    public string Floats(string name, IReadOnlyList<long> dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        // raw_data is little-endian; every platform .NET runs on here is too (the check keeps it honest).
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian");
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        InitializerBytes += (long)values.Length * sizeof(float);
        Graph.Initializer.Add(tensor);
        return name;
    }

    public string Int64s(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        InitializerBytes += (long)values.Length * sizeof(long);
        Graph.Initializer.Add(tensor);
        return name;
    }

    public void Node(string op, string name, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
    }

    /// <summary>A float32 tensor of the given shape; a null dim is the symbolic batch <c>N</c>.</summary>
    public static ValueInfoProto Value(string name, IEnumerable<long?> dims)
    {
        var shape = new TensorShapeProto();
        foreach (long? d in dims)
            shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    /// <summary>An op rule's neutral attribute (<see cref="OnnxAttribute"/>) with its ONNX type.</summary>
    public static AttributeProto Attribute(OnnxAttribute a)
    {
        var proto = new AttributeProto { Name = a.Name };
        switch (a.Kind)
        {
            case OnnxAttributeKind.Int:
                proto.Type = AttributeProto.Types.AttributeType.Int;
                proto.I = a.Ints[0];
                break;
            case OnnxAttributeKind.Ints:
                proto.Type = AttributeProto.Types.AttributeType.Ints;
                proto.Ints.AddRange(a.Ints);
                break;
            case OnnxAttributeKind.Float:
                proto.Type = AttributeProto.Types.AttributeType.Float;
                proto.F = a.Number;
                break;
            case OnnxAttributeKind.String:
                proto.Type = AttributeProto.Types.AttributeType.String;
                proto.S = ByteString.CopyFromUtf8(a.Text);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(a), a.Kind, "attribute kind");
        }

        return proto;
    }
}
