using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Training;
using NetSpec.Runtime;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Training;

/// <summary>The ops composed as generated code composes them must learn a pixel labelling (<see cref="TinyNetworkChecks"/>); per backend.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuTinyNetworkTests(CpuFixture f) : BackendChecks<TinyNetworkChecks>(f), IClassFixture<CpuFixture>;

[Backend(DeviceKind.Cuda)]
public sealed class CudaTinyNetworkTests(CudaFixture f) : BackendChecks<TinyNetworkChecks>(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClTinyNetworkTests(OpenClFixture f) : BackendChecks<TinyNetworkChecks>(f), IClassFixture<OpenClFixture>;
