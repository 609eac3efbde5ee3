using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Ops;
using NetSpec.Runtime;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>Winograd F(2×2, 3×3) convs against double references (<see cref="WinogradChecks"/>), and im2col held to the same bound.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuWinogradTests(CpuWinogradFixture f) : BackendChecks<WinogradChecks>(f), IClassFixture<CpuWinogradFixture>;

/// <summary>The same cases with tile rows and input channels in chunks.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuWinogradChunksTests(CpuWinogradChunksFixture f) : BackendChecks<WinogradChecks>(f), IClassFixture<CpuWinogradChunksFixture>;

/// <summary>The same cases with the scalar transforms (CPUs without AVX-512).</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuWinogradScalarTests(CpuWinogradScalarFixture f) : BackendChecks<WinogradChecks>(f), IClassFixture<CpuWinogradScalarFixture>;

/// <summary>The same cases through im2col + GEMM (Winograd off), held to the same bound.</summary>
[Backend(DeviceKind.Cpu)]
public sealed class CpuIm2ColConvTests(CpuIm2ColFixture f) : BackendChecks<WinogradChecks>(f), IClassFixture<CpuIm2ColFixture>;
