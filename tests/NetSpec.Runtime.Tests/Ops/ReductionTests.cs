using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Ops;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>Kernels take indices apart in 32 bits; launchers refuse a longer tensor with a one-line error.</summary>
public sealed class IndexLimitTests
{
    [Fact]
    public void KernelsRefuseTensorsPast32BitIndicesWithAOneLineError()
    {
        var huge = new Tensor(default, 2, 1, 32768, 32768); // 2^31 elements
        var ex = Assert.Throws<ArgumentException>(() => Check.Fits32(huge, "x"));
        Assert.Equal("x (2,1,32768,32768) has 2147483648 elements; device kernels index at most 2^31 - 1", ex.Message);
        Check.Fits32(new Tensor(default, 1, 1, 46340, 46340), "x"); // 2,147,395,600 < 2^31 − 1: allowed
    }
}

[Backend(DeviceKind.Cpu)]
public sealed class CpuReductionTests(CpuFixture f) : BackendChecks<ReductionChecks>(f), IClassFixture<CpuFixture>;

/// <summary>The kernels: group-per-channel trees on the CPU accelerator.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuKernelReductionTests(CpuKernelFixture f) : BackendChecks<ReductionChecks>(f), IClassFixture<CpuKernelFixture>;

[Backend(DeviceKind.Cuda)]
public sealed class CudaReductionTests(CudaFixture f) : BackendChecks<ReductionChecks>(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClReductionTests(OpenClFixture f) : BackendChecks<ReductionChecks>(f), IClassFixture<OpenClFixture>;
