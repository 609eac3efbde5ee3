using NetSpec.DeviceChecks.Gemm;
using NetSpec.DeviceChecks.Ops;
using NetSpec.DeviceChecks.Training;
using NetSpec.Runtime;

namespace NetSpec.DeviceChecks.Runner;

/// <summary>One class of checks on one device configuration; <see cref="Name"/> is the test class that runs it under xunit.</summary>
/// <param name="Name">The test class in tests/NetSpec.Runtime.Tests (a test there checks that the two lists agree).</param>
/// <param name="Kind">The device kind.</param>
/// <param name="Fixture">A <see cref="DeviceFixture"/> type with a parameterless constructor.</param>
/// <param name="Checks">A class whose constructor takes a <see cref="DeviceFixture"/> and whose [DeviceCheck] methods are the checks.</param>
public sealed record DeviceCheckSuite(string Name, DeviceKind Kind, Type Fixture, Type Checks);

/// <summary>Every suite: each class of checks on the default device of each kind, and on the CPU's variants (kernels, chunks, Winograd).</summary>
public static class DeviceCheckSuites
{
    public static IReadOnlyList<DeviceCheckSuite> All { get; } =
    [
        new("CpuOpTests", DeviceKind.Cpu, typeof(CpuFixture), typeof(OpChecks)),
        new("CudaOpTests", DeviceKind.Cuda, typeof(CudaFixture), typeof(OpChecks)),
        new("OpenClOpTests", DeviceKind.OpenCL, typeof(OpenClFixture), typeof(OpChecks)),
        new("CpuKernelOpTests", DeviceKind.Cpu, typeof(CpuKernelFixture), typeof(OpChecks)),
        new("CpuChannelChunksOpTests", DeviceKind.Cpu, typeof(CpuChannelChunksFixture), typeof(OpChecks)),
        new("CpuRowChunksOpTests", DeviceKind.Cpu, typeof(CpuRowChunksFixture), typeof(OpChecks)),
        new("CpuOneWorkerWeightsOpTests", DeviceKind.Cpu, typeof(CpuOneWorkerWeightsFixture), typeof(OpChecks)),
        new("CpuWinogradOpTests", DeviceKind.Cpu, typeof(CpuWinogradFixture), typeof(OpChecks)),
        new("CpuWinogradChunksOpTests", DeviceKind.Cpu, typeof(CpuWinogradChunksFixture), typeof(OpChecks)),
        new("CpuWinogradScalarOpTests", DeviceKind.Cpu, typeof(CpuWinogradScalarFixture), typeof(OpChecks)),
        new("CpuWinogradTests", DeviceKind.Cpu, typeof(CpuWinogradFixture), typeof(WinogradChecks)),
        new("CpuWinogradChunksTests", DeviceKind.Cpu, typeof(CpuWinogradChunksFixture), typeof(WinogradChecks)),
        new("CpuWinogradScalarTests", DeviceKind.Cpu, typeof(CpuWinogradScalarFixture), typeof(WinogradChecks)),
        new("CpuIm2ColConvTests", DeviceKind.Cpu, typeof(CpuIm2ColFixture), typeof(WinogradChecks)),
        new("CpuReductionTests", DeviceKind.Cpu, typeof(CpuFixture), typeof(ReductionChecks)),
        new("CpuKernelReductionTests", DeviceKind.Cpu, typeof(CpuKernelFixture), typeof(ReductionChecks)),
        new("CudaReductionTests", DeviceKind.Cuda, typeof(CudaFixture), typeof(ReductionChecks)),
        new("OpenClReductionTests", DeviceKind.OpenCL, typeof(OpenClFixture), typeof(ReductionChecks)),
        new("CpuKernelConvBatchTests", DeviceKind.Cpu, typeof(CpuKernelFixture), typeof(ConvBatchChecks)),
        new("CpuKernelChunksConvBatchTests", DeviceKind.Cpu, typeof(CpuKernelChunksFixture), typeof(ConvBatchChecks)),
        new("CpuConvBatchTests", DeviceKind.Cpu, typeof(CpuFixture), typeof(ConvBatchChecks)),
        new("CpuOneWorkerWeightsConvBatchTests", DeviceKind.Cpu, typeof(CpuOneWorkerWeightsFixture), typeof(ConvBatchChecks)),
        new("CudaConvBatchTests", DeviceKind.Cuda, typeof(CudaFixture), typeof(ConvBatchChecks)),
        new("OpenClConvBatchTests", DeviceKind.OpenCL, typeof(OpenClFixture), typeof(ConvBatchChecks)),
        new("CpuGemmTests", DeviceKind.Cpu, typeof(CpuFixture), typeof(GemmProductChecks)),
        new("CudaGemmTests", DeviceKind.Cuda, typeof(CudaFixture), typeof(GemmProductChecks)),
        new("OpenClGemmTests", DeviceKind.OpenCL, typeof(OpenClFixture), typeof(GemmProductChecks)),
        new("CpuSgdTests", DeviceKind.Cpu, typeof(CpuFixture), typeof(SgdChecks)),
        new("CudaSgdTests", DeviceKind.Cuda, typeof(CudaFixture), typeof(SgdChecks)),
        new("OpenClSgdTests", DeviceKind.OpenCL, typeof(OpenClFixture), typeof(SgdChecks)),
        new("CpuKernelSgdTests", DeviceKind.Cpu, typeof(CpuKernelFixture), typeof(SgdChecks)),
        new("CpuTinyNetworkTests", DeviceKind.Cpu, typeof(CpuFixture), typeof(TinyNetworkChecks)),
        new("CudaTinyNetworkTests", DeviceKind.Cuda, typeof(CudaFixture), typeof(TinyNetworkChecks)),
        new("OpenClTinyNetworkTests", DeviceKind.OpenCL, typeof(OpenClFixture), typeof(TinyNetworkChecks)),
    ];
}
