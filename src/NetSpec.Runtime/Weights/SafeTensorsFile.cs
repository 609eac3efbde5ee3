using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace NetSpec.Runtime.Weights;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a UTF-8 JSON header mapping each name to
/// {dtype, shape, data_offsets} (plus an optional string map <c>__metadata__</c>), then the raw data.
/// The header is padded with spaces to a multiple of 8 bytes, as the reference writer does. Reading checks
/// the header by the format's rules (<see cref="SafeTensorsHeader"/>) and refuses NaN/Inf in F32 tensors.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>The header key of the string→string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Writes the file atomically (<see cref="AtomicFile"/>); <paramref name="reached"/> is its test hook.</summary>
    public static void Write(string path, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null, Action<string>? reached = null) =>
        WriteStreamed(path, tensors.Select(SafeTensorSource.Of).ToList(), metadata, reached);

    /// <summary>
    /// Writes the file atomically from <paramref name="tensors"/>, each tensor's bytes written in its turn (the same file as
    /// from entries holding those bytes); <paramref name="reached"/> is the test hook.
    /// </summary>
    public static void WriteStreamed(string path, IReadOnlyList<SafeTensorSource> tensors, IReadOnlyDictionary<string, string>? metadata = null, Action<string>? reached = null)
    {
        string name = Path.GetFileName(path);
        AtomicFile.Write(path, stream => WriteStreamedTo(stream, tensors, metadata, () => reached?.Invoke($"{name}: header written, data not yet")), reached);
    }

    /// <summary>Writes the format to <paramref name="stream"/>; <paramref name="afterHeader"/> runs between header and data.</summary>
    public static void WriteTo(Stream stream, IReadOnlyList<SafeTensorEntry> tensors, IReadOnlyDictionary<string, string>? metadata, Action? afterHeader = null) =>
        WriteStreamedTo(stream, tensors.Select(SafeTensorSource.Of).ToList(), metadata, afterHeader);

    /// <summary>Writes the format to <paramref name="stream"/>, tensor by tensor; <paramref name="afterHeader"/> runs between header and data.</summary>
    public static void WriteStreamedTo(Stream stream, IReadOnlyList<SafeTensorSource> tensors, IReadOnlyDictionary<string, string>? metadata, Action? afterHeader = null)
    {
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
            header[MetadataKey] = new JsonObject(metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        long offset = 0;
        foreach (SafeTensorSource t in tensors)
        {
            if (header.ContainsKey(t.Name))
                throw new ArgumentException($"tensor name '{t.Name}' is used twice or is reserved", nameof(tensors));
            header[t.Name] = new JsonObject
            {
                ["dtype"] = t.DType.ToString(),
                ["shape"] = new JsonArray(t.Shape.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + t.Bytes)),
            };
            offset += t.Bytes;
        }

        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        afterHeader?.Invoke();
        var counted = new CountingStream(stream);
        foreach (SafeTensorSource t in tensors)
        {
            long before = counted.Written;
            t.WriteData(counted);
            if (counted.Written - before != t.Bytes)
                throw new InvalidOperationException($"tensor '{t.Name}' wrote {counted.Written - before} bytes, its header says {t.Bytes}");
        }
    }

    /// <summary>Reads every tensor (in header order, as stored) and the metadata: <see cref="SafeTensorsReader"/> in one call.</summary>
    public static (List<SafeTensorEntry> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        return (reader.ReadAll(), new Dictionary<string, string>(reader.Metadata, StringComparer.Ordinal));
    }

    /// <summary>Reads and checks the header only (the data is not read): the metadata.</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: file not found");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadHeader(stream, path).Metadata;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read ({e.Message})");
        }
    }

    /// <summary>Reads and checks the length prefix and the header from the start of <paramref name="stream"/>.</summary>
    internal static (List<TensorSlot> Slots, Dictionary<string, string> Metadata, long DataStart) ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new CheckpointException($"{path}: not a safetensors file (shorter than its 8-byte header length)");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafeTensorsHeader.MaxLength)
            throw new CheckpointException($"{path}: header length {headerLength} exceeds the format's limit of {SafeTensorsHeader.MaxLength} bytes; not a safetensors file");
        if (headerLength > (ulong)(fileLength - 8))
            throw new CheckpointException($"{path}: header length {headerLength} exceeds the file size {fileLength}; the file is truncated or not safetensors");

        byte[] header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        var (slots, metadata) = SafeTensorsHeader.Parse(path, header, fileLength - dataStart);
        return (slots, metadata, dataStart);
    }

    /// <summary>NaN or ±Infinity in a floating-point tensor (F32, F16, BF16, F64; each widens to a float as it is) is refused.</summary>
    public static void RefuseNonFinite(string path, SafeTensorEntry entry)
    {
        if (entry.DType == SafeDType.I64)
            return;
        float[] values = entry.DType == SafeDType.F32 ? MemoryMarshal.Cast<byte, float>(entry.Data).ToArray() : entry.ToFloats();
        int i = Array.FindIndex(values, v => !float.IsFinite(v));
        if (i >= 0)
            throw new CheckpointException($"{path}: tensor '{entry.Name}' holds {(float.IsNaN(values[i]) ? "NaN" : values[i] > 0 ? "+Infinity" : "-Infinity")} at element {i}; refusing non-finite weights");
    }
}

/// <summary>A checkpoint that cannot be read, written or does not fit the network; the one-line message names the file.</summary>
public sealed class CheckpointException(string message) : Exception(message);
