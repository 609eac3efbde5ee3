using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Ops;
using NetSpec.Runtime;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>Every op's forward against a naive double reference and its backward against central differences (<see cref="OpChecks"/>); once per backend.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuOpTests(CpuFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuFixture>;

[Backend(DeviceKind.Cuda)]
public sealed class CudaOpTests(CudaFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CudaFixture>;

[Backend(DeviceKind.OpenCL)]
public sealed class OpenClOpTests(OpenClFixture f) : BackendChecks<OpChecks>(f), IClassFixture<OpenClFixture>;

/// <summary>The CPU accelerator with host code off: runs every ILGPU kernel (im2col, tiled GEMM, BN reductions) on this machine.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuKernelOpTests(CpuKernelFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuKernelFixture>;

/// <summary>Host code unfolding conv columns one input channel at a time (chunks of the GEMM's K, and of dx's channels).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuChannelChunksOpTests(CpuChannelChunksFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuChannelChunksFixture>;

/// <summary>Host code computing every conv's weight gradient with one worker (no per-worker partial dW).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuOneWorkerWeightsOpTests(CpuOneWorkerWeightsFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuOneWorkerWeightsFixture>;

/// <summary>Host code unfolding conv columns one output row at a time (chunks overlapping in dx).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuRowChunksOpTests(CpuRowChunksFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuRowChunksFixture>;

/// <summary>Host code with every 3×3 stride-1 conv (forward and input gradient) through Winograd F(2×2, 3×3).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuWinogradOpTests(CpuWinogradFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuWinogradFixture>;

/// <summary>Winograd with its tile rows and input channels in chunks (products added into M).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuWinogradChunksOpTests(CpuWinogradChunksFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuWinogradChunksFixture>;

/// <summary>Winograd with the scalar transforms of CPUs without AVX-512.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuWinogradScalarOpTests(CpuWinogradScalarFixture f) : BackendChecks<OpChecks>(f), IClassFixture<CpuWinogradScalarFixture>;
