using System.Buffers.Binary;
using System.Text;
using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

/// <summary>
/// Files that break one rule of the safetensors format each (bytes built here), read by the sample's reader:
/// every one must be a <see cref="CheckpointException"/> with a one-line message naming the file and what is wrong.
/// </summary>
public class HostileSafeTensorsTests
{
    private const string W = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";

    public static TheoryData<string, byte[], string> Cases => new()
    {
        { "shorter than 8 bytes", [1, 2, 3], "shorter than its 8-byte header length" },
        { "header length past the file", WithLength(1000, "{}"), "header length 1000 exceeds the file size" },
        { "header length absurdly large", WithLength(1UL << 40, "{}"), "exceeds the format's limit of 100000000 bytes" },
        { "header length 2^64-1", WithLength(ulong.MaxValue, "{}"), "exceeds the format's limit" },
        { "non-UTF-8 header", NonUtf8(), "header is not valid UTF-8" },
        { "header an array", File("[1,2]", 0), "does not start with '{'" },
        { "header not JSON", File("{\"w\":", 0), "header is not valid JSON" },
        { "tensor info a number", File("{\"w\":5}", 0), "tensor 'w' is a JSON Number, not an object" },
        { "duplicate tensor", File($"{{\"w\":{W},\"w\":{W}}}", 4), "the header has the key 'w' twice" },
        { "duplicate field", File("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has the key 'dtype' twice" },
        { "no shape", File("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "tensor 'w' has no 'shape'" },
        { "no data_offsets", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w' has no 'data_offsets'" },
        { "no dtype", File("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has no 'dtype'" },
        { "unknown dtype", File("{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has dtype 'Q4'" },
        { "dtype given as a number", File("{\"w\":{\"dtype\":\"0\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 'w' has dtype '0'" },
        { "negative offset", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 4), "'data_offsets' entry -4, not an integer" },
        { "fractional dim", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4), "'shape' entry 1.5, not an integer" },
        { "three offsets", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4), "has 3 data_offsets" },
        { "begin after end", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4), "data_offsets [4,0] outside" },
        { "end past the data", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), "data_offsets [0,8] outside the 4-byte data section" },
        { "begin near 2^63 wraps a naive bound check into the header", BeginNear2To63(), "outside the 4-byte data section" },
        { "dim past 2^63 (in an empty tensor)", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[18446744073709551615,0],\"data_offsets\":[0,0]}}", 0), "a dimension past 2^63" },
        { "shape product overflows", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4), "overflows 64 bits" },
        { "shape times dtype size overflows", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,4]}}", 4), "overflows 64 bits" },
        { "range length is not shape times dtype size", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "(4 bytes) but its shape [2] of F32 needs 8" },
        { "F16 range sized as F32", File("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "(4 bytes) but its shape [1] of F16 needs 2" },
        { "BF16 range too short", File("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2), "(2 bytes) but its shape [2] of BF16 needs 4" },
        { "F16 NaN weight", File("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", [0, 0x3C, 0, 0x7E]), "tensor 'w' holds NaN at element 1" },
        { "BF16 infinite weight", File("{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", [0x80, 0x7F]), "tensor 'w' holds +Infinity at element 0" },
        { "I64 range too short", File("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "of I64 needs 8" },
        { "overlapping ranges", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "tensor 'b' (bytes 4..12) overlaps tensor 'a' (bytes 0..8)" },
        { "identical ranges", File($"{{\"a\":{W},\"b\":{W}}}", 4), "overlaps tensor" },
        { "gap between ranges", File("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12), "bytes 4..8 of the data section belong to no tensor" },
        { "data not covered", File($"{{\"w\":{W}}}", 8), "the tensors cover 4 bytes but the data section holds 8" },
        { "metadata value a number", File("{\"__metadata__\":{\"iteration\":3}}", 0), "__metadata__ must map strings to strings; 'iteration' is a JSON Number" },
        { "metadata a string", File("{\"__metadata__\":\"x\"}", 0), "__metadata__ is a JSON String, not an object" },
        { "NaN weight", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", Floats(1f, float.NaN)), "tensor 'w' holds NaN at element 1" },
        { "infinite weight", File("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", Floats(float.NegativeInfinity)), "tensor 'w' holds -Infinity at element 0" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void HostileFileIsAOneLineErrorNamingFileAndFault(string fault, byte[] bytes, string expected)
    {
        using var dir = new TempDir();
        string path = dir["hostile.safetensors"];
        System.IO.File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointException>(() => SafeTensorsFile.Read(path));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{fault}: {e.Message}");
        Assert.StartsWith(path + ": ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        if (fault.EndsWith("weight", StringComparison.Ordinal))
            Assert.NotNull(SafeTensorsFile.ReadMetadata(path)); // a fault in the data, not the header
        else
            Assert.Equal(e.Message, Assert.Throws<CheckpointException>(() => SafeTensorsFile.ReadMetadata(path)).Message);
    }

    [Fact]
    public void PaddedHeaderZeroSizedTensorsAndEmptyFileAreValid()
    {
        using var dir = new TempDir();
        string path = dir["ok.safetensors"];
        string json = "{\"__metadata__\":{\"k\":\"v\"},\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},\"w\":" + W + ",\"z\":{\"dtype\":\"I64\",\"shape\":[9223372036854775807,0],\"data_offsets\":[4,4]}}   ";
        System.IO.File.WriteAllBytes(path, File(json, Floats(2.5f)));
        var (tensors, meta) = SafeTensorsFile.Read(path);
        Assert.Equal("v", meta["k"]);
        Assert.Equal(["e", "w", "z"], tensors.Select(t => t.Name));
        Assert.Equal([2.5f], tensors[1].ToFloats());

        System.IO.File.WriteAllBytes(path, File("{}", 0));
        Assert.Empty(SafeTensorsFile.Read(path).Tensors);
    }

    /// <summary>
    /// begin = 2^63 − dataStart + 8, end = begin + 4: a check written as <c>dataStart + end &gt; length</c> in
    /// 64-bit signed arithmetic wraps negative and passes, and (int)(dataStart + begin) = 8 points into the header.
    /// </summary>
    private static byte[] BeginNear2To63()
    {
        // Both offsets have 19 digits, so the header's length does not depend on their values.
        string Header(ulong begin) => $"{{\"w\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[{begin},{begin + 4}]}}}}";
        ulong dataStart = 8 + (ulong)Header(1UL << 62).Length;
        ulong begin = (1UL << 63) - dataStart + 8;
        Assert.Equal(19, begin.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return File(Header(begin), 4);
    }

    private static byte[] NonUtf8()
    {
        byte[] file = File("{\"w\u00e9\":" + W + "}", 4); // "wé": é is C3 A9 in UTF-8
        int at = Array.IndexOf(file, (byte)0xC3);
        file[at] = 0xFF; // FF A9: no UTF-8 sequence starts with FF
        return file;
    }

    private static byte[] Floats(params float[] values)
    {
        byte[] data = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, data, 0, data.Length);
        return data;
    }

    private static byte[] File(string header, int dataBytes) => File(header, new byte[dataBytes]);

    private static byte[] File(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. WithLength((ulong)json.Length, ""), .. json, .. data];
    }

    private static byte[] WithLength(ulong length, string rest)
    {
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, length);
        return [.. prefix, .. Encoding.UTF8.GetBytes(rest)];
    }
}
