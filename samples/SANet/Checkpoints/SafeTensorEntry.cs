namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>Tensor element types the sample reads and writes.</summary>
public enum SafeDType
{
    F32,
    I64,
}

/// <summary>One named tensor of a safetensors file: its type, PyTorch shape and little-endian bytes.</summary>
public sealed record SafeTensorEntry(string Name, SafeDType DType, long[] Shape, byte[] Data)
{
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

    public static SafeTensorEntry FromFloats(string name, int[] shape, float[] values)
    {
        byte[] data = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        return new SafeTensorEntry(name, SafeDType.F32, shape.Select(d => (long)d).ToArray(), data);
    }

    public static SafeTensorEntry FromLongs(string name, int[] shape, long[] values)
    {
        byte[] data = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        return new SafeTensorEntry(name, SafeDType.I64, shape.Select(d => (long)d).ToArray(), data);
    }

    /// <summary>The values as floats (I64 counters are converted).</summary>
    public float[] ToFloats()
    {
        if (DType == SafeDType.F32)
        {
            float[] values = new float[Data.Length / 4];
            Buffer.BlockCopy(Data, 0, values, 0, Data.Length);
            return values;
        }

        long[] longs = new long[Data.Length / 8];
        Buffer.BlockCopy(Data, 0, longs, 0, Data.Length);
        return longs.Select(v => (float)v).ToArray();
    }
}
