using NetSpec.Runtime;

namespace NetSpec.DeviceChecks;

/// <summary>One device per test class, opened on first use (so an absent backend's class can be constructed and skipped).</summary>
public abstract class DeviceFixture(DeviceKind kind, bool hostCode = true, long columnLimit = 0, int columnMinK = 0,
    int winogradMinChannels = -1, long winogradLimit = 0, bool winogradAvx512 = true, long kernelColumnLimit = 0,
    long weightPartialsLimit = -1) : IDisposable
{
    private readonly Lazy<Device> device = new(() =>
    {
        Device d = Device.Create(kind.ToString().ToLowerInvariant());
        d.HostCode &= hostCode;
        if (columnLimit > 0)
            d.ColumnLimitFloats = columnLimit;
        if (columnMinK > 0)
            d.ColumnMinK = columnMinK;
        if (winogradMinChannels >= 0)
            d.WinogradMinChannels = winogradMinChannels;
        if (winogradLimit > 0)
            (d.WinogradLimitFloats, d.WinogradTileLimitFloats) = (winogradLimit, winogradLimit);
        d.WinogradAvx512 &= winogradAvx512;
        if (kernelColumnLimit > 0)
            d.KernelColumnLimitFloats = kernelColumnLimit;
        if (weightPartialsLimit >= 0)
            d.WeightGradientPartialsLimitFloats = weightPartialsLimit;
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

/// <summary>Host code with a tiny im2col limit, so that every padded, strided or dilated conv unfolds one input channel at a time.</summary>
public sealed class CpuChannelChunksFixture() : DeviceFixture(DeviceKind.Cpu, columnLimit: 64, columnMinK: 1);

/// <summary>Host code with a tiny im2col limit and no split of K, so that those convs unfold one output row at a time.</summary>
public sealed class CpuRowChunksFixture() : DeviceFixture(DeviceKind.Cpu, columnLimit: 64, columnMinK: int.MaxValue);

/// <summary>Host code with every 3×3 stride-1 conv through Winograd, however few its channels.</summary>
public sealed class CpuWinogradFixture() : DeviceFixture(DeviceKind.Cpu, winogradMinChannels: 1);

/// <summary>Winograd for every 3×3 stride-1 conv, in a workspace so small that tile rows and input channels come in chunks.</summary>
public sealed class CpuWinogradChunksFixture() : DeviceFixture(DeviceKind.Cpu, winogradMinChannels: 1, winogradLimit: 600);

/// <summary>Winograd for every 3×3 stride-1 conv with the scalar transforms of CPUs without AVX-512.</summary>
public sealed class CpuWinogradScalarFixture() : DeviceFixture(DeviceKind.Cpu, winogradMinChannels: 1, winogradAvx512: false);

/// <summary>Host code with no room for partial weight gradients: every conv's dW by one worker, its GEMMs parallel inside.</summary>
public sealed class CpuOneWorkerWeightsFixture() : DeviceFixture(DeviceKind.Cpu, weightPartialsLimit: 0);

/// <summary>Host code with Winograd off: every conv through im2col + GEMM.</summary>
public sealed class CpuIm2ColFixture() : DeviceFixture(DeviceKind.Cpu, winogradMinChannels: 0);

/// <summary>The CPU accelerator running the ILGPU kernels instead of the host code.</summary>
public sealed class CpuKernelFixture() : DeviceFixture(DeviceKind.Cpu, hostCode: false);

/// <summary>The kernels with a conv workspace of one float: every conv takes its images one chunk (of one image) at a time.</summary>
public sealed class CpuKernelChunksFixture() : DeviceFixture(DeviceKind.Cpu, hostCode: false, kernelColumnLimit: 1);

public sealed class CudaFixture() : DeviceFixture(DeviceKind.Cuda);

public sealed class OpenClFixture() : DeviceFixture(DeviceKind.OpenCL);
