using System.Text;
using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

public class SafeTensorsTests
{
    [Fact]
    public void HeaderAndDataAreLaidOutByteByByte()
    {
        using var dir = new TempDir();
        string path = dir["one.safetensors"];
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloats("a", [2], [1f, -2f])]);

        string json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        int padded = (json.Length + 7) / 8 * 8;
        var expected = new List<byte>();
        expected.AddRange(BitConverter.GetBytes((ulong)padded)); // little-endian header length
        expected.AddRange(Encoding.UTF8.GetBytes(json.PadRight(padded, ' ')));
        expected.AddRange([0x00, 0x00, 0x80, 0x3F]); // 1.0f
        expected.AddRange([0x00, 0x00, 0x00, 0xC0]); // -2.0f
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void RoundTripKeepsNamesShapesTypesValuesAndMetadata()
    {
        using var dir = new TempDir();
        string path = dir["rt.safetensors"];
        var written = new[]
        {
            SafeTensorEntry.FromFloats("backbone.conv1.weight", [2, 1, 1, 3], [1, 2, 3, 4, 5, float.MinValue]),
            SafeTensorEntry.FromLongs("backbone.bn1.num_batches_tracked", [], [123456789012]),
            SafeTensorEntry.FromFloats("head.bias", [0], []),
        };
        SafeTensorsFile.Write(path, written, new Dictionary<string, string> { ["iteration"] = "42" });

        var (read, meta) = SafeTensorsFile.Read(path);
        Assert.Equal("42", meta["iteration"]);
        Assert.Equal(written.Select(t => t.Name), read.Select(t => t.Name));
        for (int i = 0; i < written.Length; i++)
        {
            Assert.Equal(written[i].DType, read[i].DType);
            Assert.Equal(written[i].Shape, read[i].Shape);
            Assert.Equal(written[i].Data, read[i].Data);
        }

        Assert.Equal(123456789012f, read[1].ToFloats()[0]);
    }

    [Fact]
    public void TruncatedFileIsAnErrorNamingIt()
    {
        using var dir = new TempDir();
        string path = dir["cut.safetensors"];
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloats("w", [4], [1, 2, 3, 4])]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("'w'", e.Message);
    }
}
