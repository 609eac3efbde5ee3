using NetSpec.Runtime;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>One device per test class, opened on first use (so an absent backend's class can be constructed and skipped).</summary>
public abstract class DeviceFixture(DeviceKind kind, bool hostCode = true) : IDisposable
{
    private readonly Lazy<Device> device = new(() =>
    {
        Device d = Device.Create(kind.ToString().ToLowerInvariant());
        d.HostCode &= hostCode;
        return d;
    });

    public Device Device => device.Value;

    public void Dispose()
    {
        if (device.IsValueCreated)
            device.Value.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class CpuFixture() : DeviceFixture(DeviceKind.Cpu);

/// <summary>The CPU accelerator running the ILGPU kernels instead of the host code.</summary>
public sealed class CpuKernelFixture() : DeviceFixture(DeviceKind.Cpu, hostCode: false);

public sealed class CudaFixture() : DeviceFixture(DeviceKind.Cuda);

public sealed class OpenClFixture() : DeviceFixture(DeviceKind.OpenCL);
