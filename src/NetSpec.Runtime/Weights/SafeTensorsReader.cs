using System.IO.MemoryMappedFiles;

namespace NetSpec.Runtime.Weights;

/// <summary>
/// A safetensors file opened for reading one tensor at a time, the one way this runtime reads the format: the header
/// is read and checked (<see cref="SafeTensorsHeader"/>), and the file is memory-mapped, so a file of any size (over
/// 2 GiB too) costs only the tensors asked for. Offsets are 64-bit throughout (<see cref="Locate"/>).
/// </summary>
public sealed unsafe class SafeTensorsReader : IDisposable
{
    /// <summary>Elements converted per step: the float chunk a reader touches at once.</summary>
    private const int ChunkElements = 1 << 20;

    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* start;
    private bool disposed;

    private SafeTensorsReader(string path, MemoryMappedFile map, List<TensorSlot> tensors, Dictionary<string, string> metadata, long dataStart)
    {
        Path = path;
        this.map = map;
        Tensors = tensors;
        Metadata = metadata;
        DataStart = dataStart;
        view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        start += view.PointerOffset;
    }

    /// <summary>The file, as given to <see cref="Open"/>; every error message starts with it.</summary>
    public string Path { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<TensorSlot> Tensors { get; }

    /// <summary>The <c>__metadata__</c> string map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Where the data section starts: 8 + the header length.</summary>
    public long DataStart { get; }

    /// <summary>Opens <paramref name="path"/>; a missing, unreadable or malformed file is a <see cref="CheckpointException"/> naming it.</summary>
    public static SafeTensorsReader Open(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: file not found");
        MemoryMappedFile? map = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var (slots, metadata, dataStart) = SafeTensorsFile.ReadHeader(stream, path);
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            return new SafeTensorsReader(path, map, slots, metadata, dataStart);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            map?.Dispose();
            throw new CheckpointException($"{path}: cannot read ({e.Message})");
        }
    }

    /// <summary>
    /// The file offset of <paramref name="slot"/>'s first byte: <paramref name="dataStart"/> + begin, both checked
    /// (begin + length ≤ the data section's length, dataStart + that ≤ the file's length), so the sum is exact in 64 bits.
    /// </summary>
    public static long Locate(long dataStart, TensorSlot slot) => checked(dataStart + slot.Begin);

    /// <summary>
    /// The tensor's values converted to floats (F16, BF16 exactly; F64, I64 rounded to nearest), read chunk by chunk
    /// from the mapping. NaN or ±Infinity is refused, naming the tensor and the element.
    /// </summary>
    public float[] ReadFloats(TensorSlot slot)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        int size = SafeTensorEntry.SizeOf(slot.DType);
        long elements = slot.Length / size;
        if (elements > Array.MaxLength)
            throw new CheckpointException($"{Path}: tensor '{slot.Name}' holds {elements} elements, more than one array can");
        float[] values = new float[elements];
        long at = Locate(DataStart, slot);
        for (long done = 0; done < elements; done += ChunkElements)
        {
            int count = (int)Math.Min(ChunkElements, elements - done);
            var bytes = new ReadOnlySpan<byte>(start + at + (done * size), count * size);
            Span<float> chunk = values.AsSpan((int)done, count);
            SafeTensorEntry.Convert(bytes, slot.DType, chunk);
            if (slot.DType == SafeDType.I64)
                continue;
            for (int i = 0; i < chunk.Length; i++)
            {
                if (!float.IsFinite(chunk[i]))
                    throw new CheckpointException($"{Path}: tensor '{slot.Name}' holds {(float.IsNaN(chunk[i]) ? "NaN" : chunk[i] > 0 ? "+Infinity" : "-Infinity")} at element {done + i}; refusing non-finite weights");
            }
        }

        return values;
    }

    /// <summary>
    /// The tensor as stored (its dtype and bytes copied out of the mapping), for callers that keep the dtype or rename
    /// before converting. NaN or ±Infinity in a floating-point tensor is refused, naming the tensor and the element.
    /// </summary>
    public SafeTensorEntry ReadEntry(TensorSlot slot)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (slot.Length > Array.MaxLength)
            throw new CheckpointException($"{Path}: tensor '{slot.Name}' holds {slot.Length} bytes, more than one array can");
        var entry = new SafeTensorEntry(slot.Name, slot.DType, slot.Shape, new ReadOnlySpan<byte>(start + Locate(DataStart, slot), (int)slot.Length).ToArray());
        SafeTensorsFile.RefuseNonFinite(Path, entry);
        return entry;
    }

    /// <summary>Every tensor as stored (<see cref="ReadEntry"/>), in header order.</summary>
    public List<SafeTensorEntry> ReadAll() => Tensors.Select(ReadEntry).ToList();

    /// <summary>The tensor named <paramref name="name"/>, or a <see cref="CheckpointException"/> naming it.</summary>
    public TensorSlot this[string name] => Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new CheckpointException($"{Path}: holds no tensor '{name}'");

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
        map.Dispose();
    }
}
