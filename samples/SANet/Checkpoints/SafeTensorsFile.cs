using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a UTF-8 JSON header mapping each name to
/// {dtype, shape, data_offsets} (plus an optional string map <c>__metadata__</c>), then the raw data.
/// The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
/// </summary>
public static class SafeTensorsFile
{
    public const string MetadataKey = "__metadata__";

    public static void Write(string path, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => WriteTo(stream, tensors, metadata));

    public static void WriteTo(Stream stream, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header[MetadataKey] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        long offset = 0;
        foreach (SafeTensorEntry t in tensors)
        {
            header[t.Name] = new JsonObject
            {
                ["dtype"] = t.DType.ToString(),
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + t.Data.Length)),
            };
            offset += t.Data.Length;
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        foreach (SafeTensorEntry t in tensors)
            stream.Write(t.Data);
    }

    public static (List<SafeTensorEntry> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: file not found");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8)
            throw new CheckpointException($"{path}: not a safetensors file (shorter than its 8-byte header length)");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)(bytes.Length - 8))
            throw new CheckpointException($"{path}: header length {headerLength} exceeds the file size {bytes.Length}; the file is truncated or not safetensors");

        JsonObject header;
        try
        {
            header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))?.AsObject()
                ?? throw new CheckpointException($"{path}: empty header");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: header is not valid JSON ({e.Message})");
        }

        long dataStart = 8 + (long)headerLength;
        var tensors = new List<SafeTensorEntry>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, node) in header)
        {
            if (name == MetadataKey)
            {
                foreach (var (key, value) in node!.AsObject())
                    metadata[key] = value?.GetValue<string>() ?? "";
                continue;
            }

            tensors.Add(ReadEntry(path, name, node!.AsObject(), bytes, dataStart));
        }

        return (tensors, metadata);
    }

    private static SafeTensorEntry ReadEntry(string path, string name, JsonObject info, byte[] bytes, long dataStart)
    {
        string dtypeText = info["dtype"]?.GetValue<string>() ?? "";
        if (!Enum.TryParse(dtypeText, out SafeDType dtype))
            throw new CheckpointException($"{path}: tensor '{name}' has dtype '{dtypeText}'; only F32 and I64 are supported");
        long[] shape = info["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
        long begin = info["data_offsets"]![0]!.GetValue<long>(), end = info["data_offsets"]![1]!.GetValue<long>();
        long expected = shape.Aggregate(1L, (a, b) => a * b) * (dtype == SafeDType.F32 ? 4 : 8);
        if (end - begin != expected || begin < 0 || dataStart + end > bytes.Length)
            throw new CheckpointException($"{path}: tensor '{name}' has data_offsets [{begin},{end}] that do not fit its shape [{string.Join(",", shape)}] or the file");
        return new SafeTensorEntry(name, dtype, shape, bytes.AsSpan((int)(dataStart + begin), (int)expected).ToArray());
    }
}

/// <summary>A checkpoint that cannot be read or does not fit the network; the message names the file.</summary>
public sealed class CheckpointException(string message) : Exception(message);
