using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace NetSpec.Runtime.Weights;

/// <summary>Tensor element types read and written (safetensors' names); every one converts to float.</summary>
public enum SafeDType
{
    /// <summary>IEEE float32.</summary>
    F32,

    /// <summary>Signed 64-bit integer (PyTorch's num_batches_tracked).</summary>
    I64,

    /// <summary>IEEE float16.</summary>
    F16,

    /// <summary>bfloat16: float32's top 16 bits.</summary>
    BF16,

    /// <summary>IEEE float64.</summary>
    F64,
}

/// <summary>One named tensor of a safetensors file: its type, PyTorch shape and little-endian bytes.</summary>
/// <param name="Name">The state_dict name, e.g. <c>backbone.conv1.weight</c>.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The PyTorch shape ([] for a scalar).</param>
/// <param name="Data">The elements, little-endian, C order.</param>
public sealed record SafeTensorEntry(string Name, SafeDType DType, long[] Shape, byte[] Data)
{
    /// <summary>The product of the shape (1 for a scalar).</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>An F32 tensor of <paramref name="values"/> (C order).</summary>
    public static SafeTensorEntry FromFloats(string name, int[] shape, float[] values)
    {
        byte[] data = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        return new SafeTensorEntry(name, SafeDType.F32, shape.Select(d => (long)d).ToArray(), data);
    }

    /// <summary>An I64 tensor of <paramref name="values"/> (C order).</summary>
    public static SafeTensorEntry FromLongs(string name, int[] shape, long[] values)
    {
        byte[] data = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        return new SafeTensorEntry(name, SafeDType.I64, shape.Select(d => (long)d).ToArray(), data);
    }

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int SizeOf(SafeDType dtype) => dtype switch
    {
        SafeDType.F16 or SafeDType.BF16 => 2,
        SafeDType.F32 => 4,
        _ => 8,
    };

    /// <summary>
    /// The values as floats. F16 and BF16 widen exactly (every half and bfloat16 is a float); F64 and I64
    /// round to the nearest float.
    /// </summary>
    public float[] ToFloats()
    {
        float[] values = new float[Data.Length / SizeOf(DType)];
        Convert(Data, DType, values);
        return values;
    }

    /// <summary>
    /// Converts little-endian <paramref name="data"/> of <paramref name="dtype"/> to floats (as <see cref="ToFloats"/>);
    /// <paramref name="values"/> holds data.Length / SizeOf(dtype) elements.
    /// </summary>
    public static void Convert(ReadOnlySpan<byte> data, SafeDType dtype, Span<float> values)
    {
        switch (dtype)
        {
            case SafeDType.F32:
                MemoryMarshal.Cast<byte, float>(data[..(4 * values.Length)]).CopyTo(values);
                break;
            case SafeDType.F16:
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]);
                break;
            case SafeDType.BF16: // the top 16 bits of a float
                for (int i = 0; i < values.Length; i++)
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]) << 16);
                break;
            case SafeDType.F64:
                for (int i = 0; i < values.Length; i++)
                    values[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]);
                break;
            default:
                for (int i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadInt64LittleEndian(data[(8 * i)..]);
                break;
        }
    }
}
