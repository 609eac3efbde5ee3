using NetSpec.Runtime;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>One device per test class, opened on first use (so an absent backend's class can be constructed and skipped).</summary>
public abstract class DeviceFixture(DeviceKind kind) : IDisposable
{
    private readonly Lazy<Device> device = new(() => Device.Create(kind.ToString().ToLowerInvariant()));

    public Device Device => device.Value;

    public void Dispose()
    {
        if (device.IsValueCreated)
            device.Value.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class CpuFixture() : DeviceFixture(DeviceKind.Cpu);

public sealed class CudaFixture() : DeviceFixture(DeviceKind.Cuda);

public sealed class OpenClFixture() : DeviceFixture(DeviceKind.OpenCL);
