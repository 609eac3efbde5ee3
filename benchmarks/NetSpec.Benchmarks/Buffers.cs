using ILGPU;
using ILGPU.Runtime;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Benchmarks;

/// <summary>Device buffers for one benchmark, filled with seeded random values, freed together.</summary>
internal sealed class Buffers : IDisposable
{
    private readonly List<IDisposable> owned = [];
    private readonly Device device;
    private readonly Random rng;

    public Buffers(Device device, int seed = 0)
    {
        this.device = device;
        rng = new Random(seed);
    }

    /// <summary>A float buffer of <paramref name="length"/>, uniform in [-scale, scale] (or zero when scale is 0).</summary>
    public ArrayView<float> Floats(long length, float scale = 1f)
    {
        MemoryBuffer1D<float, Stride1D.Dense> b = device.Accelerator.Allocate1D<float>(Math.Max(1, length));
        owned.Add(b);
        if (scale == 0f)
        {
            b.MemSetToZero();
        }
        else
        {
            var host = new float[b.Length];
            for (long i = 0; i < host.LongLength; i++)
                host[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
            b.View.CopyFromCPU(host);
        }

        return b.View;
    }

    public ArrayView<float> Constant(long length, float value)
    {
        MemoryBuffer1D<float, Stride1D.Dense> b = device.Accelerator.Allocate1D<float>(Math.Max(1, length));
        owned.Add(b);
        var host = new float[b.Length];
        Array.Fill(host, value);
        b.View.CopyFromCPU(host);
        return b.View;
    }

    public Tensor Tensor(int n, int c, int h, int w, float scale = 1f) =>
        new(Floats((long)n * c * h * w, scale), n, c, h, w);

    /// <summary>Labels uniform in [0, classes) with about <paramref name="ignoreFraction"/> set to <paramref name="ignore"/>.</summary>
    public LabelMap Labels(int n, int h, int w, int classes, int ignore = 255, double ignoreFraction = 0.05)
    {
        var host = new int[(long)n * h * w];
        for (long i = 0; i < host.LongLength; i++)
            host[i] = rng.NextDouble() < ignoreFraction ? ignore : rng.Next(classes);
        MemoryBuffer1D<int, Stride1D.Dense> b = device.Accelerator.Allocate1D<int>(host.LongLength);
        owned.Add(b);
        b.View.CopyFromCPU(host);
        return new LabelMap(b.View, n, h, w);
    }

    public ArrayView<int> Ints(long length)
    {
        MemoryBuffer1D<int, Stride1D.Dense> b = device.Accelerator.Allocate1D<int>(Math.Max(1, length));
        owned.Add(b);
        b.MemSetToZero();
        return b.View;
    }

    public void Dispose()
    {
        foreach (IDisposable d in owned)
            d.Dispose();
        owned.Clear();
    }
}
