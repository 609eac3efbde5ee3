using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Training;
using NetSpec.Runtime;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Training;

/// <summary>SGD against values worked out by hand from PyTorch's update rule (<see cref="SgdChecks"/>); per backend.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuSgdTests(CpuFixture f) : BackendChecks<SgdChecks>(f), IClassFixture<CpuFixture>;

[Backend(DeviceKind.Cuda)]
public sealed class CudaSgdTests(CudaFixture f) : BackendChecks<SgdChecks>(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClSgdTests(OpenClFixture f) : BackendChecks<SgdChecks>(f), IClassFixture<OpenClFixture>;

/// <summary>The SGD kernel (the GPU path) on the CPU accelerator.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuKernelSgdTests(CpuKernelFixture f) : BackendChecks<SgdChecks>(f), IClassFixture<CpuKernelFixture>;
