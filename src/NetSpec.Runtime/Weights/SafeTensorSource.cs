using System.Runtime.InteropServices;
using ILGPU;

namespace NetSpec.Runtime.Weights;

/// <summary>
/// One tensor of a safetensors file to be written: what its header entry needs (name, type, shape, byte length) and
/// how to write its bytes when their turn comes, so that a file is written one tensor at a time instead of from a copy
/// of every tensor in memory (<see cref="SafeTensorsFile.WriteStreamed"/>).
/// </summary>
/// <param name="Name">The state_dict name.</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The PyTorch shape ([] for a scalar).</param>
/// <param name="Bytes">The data's length in bytes; <paramref name="WriteData"/> must write exactly this many.</param>
/// <param name="WriteData">Writes the elements, little-endian, C order.</param>
public sealed record SafeTensorSource(string Name, SafeDType DType, long[] Shape, long Bytes, Action<Stream> WriteData)
{
    /// <summary>
    /// Floats copied from device memory per step of <see cref="FromDevice"/>: 1 Mi floats (4 MiB), the most a save holds
    /// besides the file stream's own buffer, whatever the tensor's size.
    /// </summary>
    public const int ChunkFloats = 1 << 20;

    /// <summary>A tensor already in memory.</summary>
    public static SafeTensorSource Of(SafeTensorEntry entry) =>
        new(entry.Name, entry.DType, entry.Shape, entry.Data.Length, s => s.Write(entry.Data));

    /// <summary>An F32 tensor read from <paramref name="view"/> (C order) a chunk of <see cref="ChunkFloats"/> at a time when written.</summary>
    public static SafeTensorSource FromDevice(string name, int[] shape, ArrayView<float> view) =>
        new(name, SafeDType.F32, shape.Select(d => (long)d).ToArray(), view.Length * sizeof(float), s => WriteFloats(s, view));

    // the view's floats in the host's byte order (little-endian, as SafeTensorEntry.FromFloats writes), through one reused buffer
    private static void WriteFloats(Stream stream, ArrayView<float> view)
    {
        float[] chunk = new float[(int)Math.Min(view.Length, ChunkFloats)];
        for (long at = 0; at < view.Length; at += chunk.Length)
        {
            Span<float> part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, view.Length - at));
            DeviceData.Download(view.SubView(at, part.Length), part);
            stream.Write(MemoryMarshal.AsBytes(part));
        }
    }
}
