using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NetSpec.Runtime.Weights;

/// <summary>Where one tensor lies in the data section (offsets from its start), as the header declares it.</summary>
/// <param name="Name">The tensor's name.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its PyTorch shape.</param>
/// <param name="Begin">Its first byte, from the start of the data section.</param>
/// <param name="Length">Its bytes: the shape's product times the dtype's size.</param>
public sealed record TensorSlot(string Name, SafeDType DType, long[] Shape, long Begin, long Length);

/// <summary>
/// Parses and checks a safetensors header by the format's rules: valid UTF-8 JSON, an object; each key once;
/// <c>__metadata__</c> a string→string map; every other key {dtype, shape, data_offsets} with a known dtype,
/// non-negative integer dims whose product × dtype size (checked, no overflow) equals end − begin; and the
/// ranges, sorted, exactly tile the data section from 0 to its end (in bounds, contiguous, no overlap, no gap).
/// Every violation is a <see cref="CheckpointException"/> naming the file and, where there is one, the tensor.
/// </summary>
public static class SafeTensorsHeader
{
    /// <summary>The reference implementation's cap: a longer header is refused before anything is allocated.</summary>
    public const ulong MaxLength = 100_000_000;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The tensors and metadata of <paramref name="header"/>, checked against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static (List<TensorSlot> Slots, Dictionary<string, string> Metadata) Parse(string path, byte[] header, long dataLength)
    {
        JsonElement root = ParseJson(path, header);
        var slots = new List<TensorSlot>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in UniqueProperties(path, root, "the header"))
        {
            if (property.Name == SafeTensorsFile.MetadataKey)
                ReadMetadata(path, property.Value, metadata);
            else
                slots.Add(ReadSlot(path, property.Name, property.Value, dataLength));
        }

        CheckTiling(path, slots, dataLength);
        return (slots, metadata);
    }

    private static JsonElement ParseJson(string path, byte[] header)
    {
        try
        {
            StrictUtf8.GetString(header);
        }
        catch (DecoderFallbackException)
        {
            throw new CheckpointException($"{path}: header is not valid UTF-8; not a safetensors file");
        }

        if (header.Length == 0 || header[0] != (byte)'{')
            throw new CheckpointException($"{path}: header does not start with '{{'; not a safetensors file");
        try
        {
            using JsonDocument document = JsonDocument.Parse(header);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: header is not valid JSON ({e.Message})");
        }
    }

    private static List<JsonProperty> UniqueProperties(string path, JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new CheckpointException($"{path}: {what} is a JSON {element.ValueKind}, not an object");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var properties = new List<JsonProperty>();
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                throw new CheckpointException($"{path}: {what} has the key '{property.Name}' twice");
            properties.Add(property);
        }

        return properties;
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        foreach (JsonProperty entry in UniqueProperties(path, element, SafeTensorsFile.MetadataKey))
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new CheckpointException($"{path}: {SafeTensorsFile.MetadataKey} must map strings to strings; '{entry.Name}' is a JSON {entry.Value.ValueKind}");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static TensorSlot ReadSlot(string path, string name, JsonElement element, long dataLength)
    {
        var fields = UniqueProperties(path, element, $"tensor '{name}'").ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        JsonElement Field(string key) => fields.TryGetValue(key, out JsonElement value)
            ? value : throw new CheckpointException($"{path}: tensor '{name}' has no '{key}'");

        JsonElement dtypeNode = Field("dtype");
        SafeDType dtype = dtypeNode.ValueKind == JsonValueKind.String ? dtypeNode.GetString() switch
        {
            "F32" => SafeDType.F32,
            "I64" => SafeDType.I64,
            "F16" => SafeDType.F16,
            "BF16" => SafeDType.BF16,
            "F64" => SafeDType.F64,
            var other => throw new CheckpointException($"{path}: tensor '{name}' has dtype '{other}'; only F32, F16, BF16, F64 and I64 are supported"),
        } : throw new CheckpointException($"{path}: tensor '{name}' has a dtype that is not a string");

        ulong[] shape = Integers(path, name, "shape", Field("shape"));
        ulong[] offsets = Integers(path, name, "data_offsets", Field("data_offsets"));
        if (offsets.Length != 2)
            throw new CheckpointException($"{path}: tensor '{name}' has {offsets.Length} data_offsets; expected [begin, end]");
        ulong begin = offsets[0], end = offsets[1];
        string range = string.Create(CultureInfo.InvariantCulture, $"[{begin},{end}]");
        if (begin > end || end > (ulong)dataLength)
            throw new CheckpointException($"{path}: tensor '{name}' has data_offsets {range} outside the {dataLength}-byte data section (truncated file?)");

        ulong bytes = ByteLength(path, name, shape, (ulong)SafeTensorEntry.SizeOf(dtype));
        if (end - begin != bytes)
            throw new CheckpointException($"{path}: tensor '{name}' has data_offsets {range} ({end - begin} bytes) but its shape [{string.Join(",", shape)}] of {dtype} needs {bytes}");
        if (shape.Any(d => d > long.MaxValue))
            throw new CheckpointException($"{path}: tensor '{name}' has a dimension past 2^63 in shape [{string.Join(",", shape)}]");
        return new TensorSlot(name, dtype, shape.Select(d => (long)d).ToArray(), (long)begin, (long)bytes);
    }

    private static ulong[] Integers(string path, string name, string key, JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw new CheckpointException($"{path}: tensor '{name}' has a '{key}' that is not an array");
        return array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out ulong n)
            ? n : throw new CheckpointException($"{path}: tensor '{name}' has '{key}' entry {v.GetRawText()}, not an integer in [0, 2^64)")).ToArray();
    }

    private static ulong ByteLength(string path, string name, ulong[] shape, ulong elementSize)
    {
        try
        {
            ulong elements = 1; // the element count first, then bytes, as the reference does: [2^63, 0] is empty
            foreach (ulong d in shape)
                elements = checked(elements * d);
            return checked(elements * elementSize);
        }
        catch (OverflowException)
        {
            throw new CheckpointException($"{path}: tensor '{name}' has shape [{string.Join(",", shape)}] whose size overflows 64 bits");
        }
    }

    private static void CheckTiling(string path, List<TensorSlot> slots, long dataLength)
    {
        long covered = 0;
        TensorSlot? previous = null;
        foreach (TensorSlot slot in slots.OrderBy(s => s.Begin).ThenBy(s => s.Length))
        {
            if (slot.Begin < covered)
                throw new CheckpointException($"{path}: tensor '{slot.Name}' (bytes {slot.Begin}..{slot.Begin + slot.Length}) overlaps tensor '{previous!.Name}' (bytes {previous.Begin}..{covered})");
            if (slot.Begin > covered)
                throw new CheckpointException($"{path}: bytes {covered}..{slot.Begin} of the data section belong to no tensor (before '{slot.Name}')");
            covered = slot.Begin + slot.Length;
            previous = slot;
        }

        if (covered != dataLength)
            throw new CheckpointException($"{path}: the tensors cover {covered} bytes but the data section holds {dataLength}");
    }
}
