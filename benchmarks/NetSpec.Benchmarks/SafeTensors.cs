using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NetSpec.Benchmarks;

/// <summary>
/// Minimal safetensors: 8-byte little-endian header length, a JSON header
/// {name: {dtype, shape, data_offsets}}, then little-endian C-order data. F32, I32 and I64 only.
/// Values are handed out as float arrays (I64 counters such as num_batches_tracked become floats,
/// as NetSpec keeps them) or int arrays (labels).
/// </summary>
internal sealed class SafeTensors
{
    public sealed record Entry(string Name, string DType, int[] Shape, byte[] Data)
    {
        public long Count => Shape.Aggregate(1L, (a, b) => a * b);

        public float[] AsFloats() => DType switch
        {
            "F32" => Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(i * 4))).ToArray(),
            "I64" => Enumerable.Range(0, (int)Count).Select(i => (float)BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan(i * 8))).ToArray(),
            "I32" => Enumerable.Range(0, (int)Count).Select(i => (float)BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(i * 4))).ToArray(),
            _ => throw new InvalidDataException($"{Name}: dtype {DType} not supported"),
        };

        public int[] AsInts() => DType switch
        {
            "I32" => Enumerable.Range(0, (int)Count).Select(i => BinaryPrimitives.ReadInt32LittleEndian(Data.AsSpan(i * 4))).ToArray(),
            "I64" => Enumerable.Range(0, (int)Count).Select(i => checked((int)BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan(i * 8)))).ToArray(),
            _ => throw new InvalidDataException($"{Name}: dtype {DType} is not an integer type"),
        };
    }

    public List<Entry> Entries { get; } = [];

    public Dictionary<string, string> Metadata { get; } = [];

    public Entry this[string name] => Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"no tensor '{name}' in the file");

    public static SafeTensors Read(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        long n = BinaryPrimitives.ReadInt64LittleEndian(raw);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(raw, 8, checked((int)n)))!.AsObject();
        var st = new SafeTensors();
        long data = 8 + n;
        foreach ((string name, JsonNode? node) in header)
        {
            if (name == "__metadata__")
            {
                foreach ((string k, JsonNode? v) in node!.AsObject())
                    st.Metadata[k] = v!.GetValue<string>();
                continue;
            }

            string dtype = node!["dtype"]!.GetValue<string>();
            int[] shape = node["shape"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
            long b = node["data_offsets"]![0]!.GetValue<long>(), e = node["data_offsets"]![1]!.GetValue<long>();
            st.Entries.Add(new Entry(name, dtype, shape, raw.AsSpan((int)(data + b), (int)(e - b)).ToArray()));
        }

        return st;
    }

    public void AddFloats(string name, int[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        Entries.Add(new Entry(name, "F32", shape, bytes));
    }

    public void Write(string path)
    {
        var header = new JsonObject();
        long off = 0;
        foreach (Entry e in Entries)
        {
            header[e.Name] = new JsonObject
            {
                ["dtype"] = e.DType,
                ["shape"] = new JsonArray(e.Shape.Select(s => (JsonNode)s).ToArray()),
                ["data_offsets"] = new JsonArray(off, off + e.Data.Length),
            };
            off += e.Data.Length;
        }

        if (Metadata.Count > 0)
            header["__metadata__"] = new JsonObject(Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        byte[] h = Encoding.UTF8.GetBytes(header.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        int pad = (8 - h.Length % 8) % 8;
        using FileStream f = File.Create(path);
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(len, h.Length + pad);
        f.Write(len);
        f.Write(h);
        for (int i = 0; i < pad; i++)
            f.WriteByte((byte)' ');
        foreach (Entry e in Entries)
            f.Write(e.Data);
    }
}
