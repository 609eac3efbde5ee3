using ILGPU;
using ILGPU.Runtime;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.DeviceChecks;

/// <summary>Device buffers for one test step, freed together.</summary>
public sealed class BuffersScope(Device device) : IDisposable
{
    private readonly List<MemoryBuffer> buffers = [];

    public ArrayView<float> Floats(ReadOnlySpan<float> data)
    {
        MemoryBuffer1D<float, Stride1D.Dense> b = device.Accelerator.Allocate1D<float>(Math.Max(1, data.Length));
        buffers.Add(b);
        ArrayView<float> view = b.View.SubView(0, data.Length);
        DeviceData.Upload(view, data);
        return view;
    }

    public ArrayView<float> Filled(long length, float value)
    {
        var data = new float[length];
        Array.Fill(data, value);
        return Floats(data);
    }

    public ArrayView<int> Ints(ReadOnlySpan<int> data)
    {
        MemoryBuffer1D<int, Stride1D.Dense> b = device.Accelerator.Allocate1D<int>(Math.Max(1, data.Length));
        buffers.Add(b);
        ArrayView<int> view = b.View.SubView(0, data.Length);
        DeviceData.Upload(view, data);
        return view;
    }

    public Tensor Tensor(ReadOnlySpan<float> data, int n, int c, int h, int w) => new(Floats(data), n, c, h, w);

    public Tensor Tensor(int n, int c, int h, int w, float fill) => new(Filled((long)n * c * h * w, fill), n, c, h, w);

    public float[] Read(ArrayView<float> view)
    {
        device.Synchronize();
        return DeviceData.Download(view);
    }

    public float[] Read(Tensor t) => Read(t.View);

    public void Dispose()
    {
        device.Synchronize();
        foreach (MemoryBuffer b in buffers)
            b.Dispose();
    }
}
