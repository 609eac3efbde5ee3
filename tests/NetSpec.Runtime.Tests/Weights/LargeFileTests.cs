using System.Buffers.Binary;
using System.Text;
using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

/// <summary>
/// A safetensors file past 2 GiB without writing 2 GiB: a sparse file (SetLength leaves a hole on Linux file systems)
/// whose first tensor "big" covers 2^31 + 8 bytes of zeros and whose small tensors lie after it, so their offsets
/// exceed int.MaxValue. Loading maps the file and reads only what it needs.
/// </summary>
public sealed class LargeFileTests
{
    private const long BigBytes = (1L << 31) + 8; // F32 [536870914]

    [Fact]
    public void TensorsPastTwoGibibytesLoadFromASparseFile()
    {
        using var dir = new TempDir();
        string path = dir["large.safetensors"];
        float[] w = [1.5f, -2f, 3.25f, 1e-3f];
        long counter = 1234567;
        long dataStart = WriteSparse(path, w, counter);
        Assert.True(new FileInfo(path).Length > int.MaxValue);

        using Device device = Device.Create("cpu");
        using var net = new ParamNet(device, "large", ("head.w", [4], ParameterKind.Weight), ("head.n", [], ParameterKind.Counter));
        LoadReport report = NetworkWeights.Load(net, path, strict: false);
        Assert.Equal(["head.w", "head.n"], report.Loaded);
        Assert.Equal(["big"], report.Unexpected);
        Assert.Equal(w, net.Values("head.w"));
        Assert.Equal([(float)counter], net.Values("head.n"));

        using var reader = SafeTensorsReader.Open(path);
        Assert.Equal(dataStart + BigBytes, SafeTensorsReader.Locate(reader.DataStart, reader["head.w"])); // past int.MaxValue, exact
        var e = Assert.Throws<CheckpointException>(() => NetworkWeights.Load(net, path));
        Assert.Contains("unexpected 1 (big)", e.Message);
    }

    /// <summary>Header, a hole of <see cref="BigBytes"/>, then w (F32 [4]) and n (I64 []); returns where the data starts.</summary>
    private static long WriteSparse(string path, float[] w, long counter)
    {
        long wEnd = BigBytes + 16, nEnd = wEnd + 8;
        string json = $"{{\"big\":{{\"dtype\":\"F32\",\"shape\":[{BigBytes / 4}],\"data_offsets\":[0,{BigBytes}]}}," +
            $"\"head.w\":{{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[{BigBytes},{wEnd}]}}," +
            $"\"head.n\":{{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[{wEnd},{nEnd}]}}}}";
        byte[] header = Encoding.UTF8.GetBytes(json);
        long dataStart = 8 + header.Length;
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        stream.SetLength(dataStart + nEnd);
        stream.Position = dataStart + BigBytes;
        byte[] tail = new byte[24];
        for (int i = 0; i < 4; i++)
            BinaryPrimitives.WriteSingleLittleEndian(tail.AsSpan(4 * i), w[i]);
        BinaryPrimitives.WriteInt64LittleEndian(tail.AsSpan(16), counter);
        stream.Write(tail);
        return dataStart;
    }
}
