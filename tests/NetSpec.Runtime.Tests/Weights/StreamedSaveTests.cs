using ILGPU.Runtime;
using NetSpec.Runtime.Weights;

namespace NetSpec.Runtime.Tests.Weights;

/// <summary>
/// Tensors written straight from device memory (<see cref="SafeTensorSource.FromDevice"/>) give the file that entries
/// holding the same bytes give, and a save holds one chunk of a tensor on the host, not a copy of it.
/// </summary>
public class StreamedSaveTests
{
    // 2.5 chunks: a whole chunk, another, and a part
    private const int Floats = (2 * SafeTensorSource.ChunkFloats) + (SafeTensorSource.ChunkFloats / 2);

    [Fact]
    public void StreamedFileIsByteForByteTheFileOfCopies()
    {
        using var dir = new TempDir();
        using Device device = Device.Create("cpu");
        float[] values = Enumerable.Range(0, Floats).Select(i => (i * 0.5f) - 7f).ToArray();
        using var buffer = device.Accelerator.Allocate1D(values);
        var meta = new Dictionary<string, string> { ["iteration"] = "3" };

        SafeTensorsFile.Write(dir["copies.safetensors"], [SafeTensorEntry.FromFloats("w", [Floats / 2, 2], values), SafeTensorEntry.FromLongs("n", [], [5])], meta);
        SafeTensorsFile.WriteStreamed(dir["streamed.safetensors"], [SafeTensorSource.FromDevice("w", [Floats / 2, 2], buffer.View), SafeTensorSource.Of(SafeTensorEntry.FromLongs("n", [], [5]))], meta);

        Assert.Equal(File.ReadAllBytes(dir["copies.safetensors"]), File.ReadAllBytes(dir["streamed.safetensors"]));
    }

    /// <summary>
    /// The tensor is 2.5 Mi floats (10 MiB); the save may allocate one chunk (4 MiB) and the file stream's buffer, the
    /// header and small objects (under 1 MiB together), never the 10 MiB a copy of the tensor takes.
    /// </summary>
    [Fact]
    public void SaveAllocatesOneChunkNotTheTensor()
    {
        using var dir = new TempDir();
        using Device device = Device.Create("cpu");
        using var buffer = device.Accelerator.Allocate1D<float>(Floats);
        SafeTensorsFile.WriteStreamed(dir["warm.safetensors"], [SafeTensorSource.FromDevice("w", [Floats], buffer.View)]); // JIT, first-use allocations

        long before = GC.GetAllocatedBytesForCurrentThread();
        SafeTensorsFile.WriteStreamed(dir["w.safetensors"], [SafeTensorSource.FromDevice("w", [Floats], buffer.View)]);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, (4L * SafeTensorSource.ChunkFloats) + (1 << 20));
    }
}
