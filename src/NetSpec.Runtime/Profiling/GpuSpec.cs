namespace NetSpec.Runtime.Profiling;

/// <summary>
/// Published dense peaks of a GPU (NVIDIA's H100 and H200 datasheets; the TF32 figures there are quoted with
/// 2:4 sparsity, so the dense rate is half of them): float32 on the CUDA cores, TF32 on the tensor cores, HBM
/// bandwidth, SMs (for the GEMM's wave count and the resident threads: 2048 a Hopper SM) and 32-bit integer
/// throughput (64 INT32 lanes an SM at the boost clock: 1.98 GHz SXM, 1.755 GHz PCIe) for index arithmetic.
/// </summary>
public sealed record GpuSpec(string Key, string Name, double Fp32Tflops, double Tf32Tflops, double HbmTBytesPerSecond, int Sms, double Int32Tops)
{
    /// <summary>Resident threads an SM holds (Hopper: 2048), the grid-stride launches' cap per SM.</summary>
    public const int ThreadsPerSm = 2048;

    public static IReadOnlyList<GpuSpec> Known { get; } =
    [
        new("h100", "H100 SXM5 80 GB (HBM3)", 67, 494.5, 3.35, 132, 132 * 64 * 1.98e-3),
        new("h100-pcie", "H100 PCIe 80 GB (HBM2e)", 51, 378, 2.0, 114, 114 * 64 * 1.755e-3),
        new("h200", "H200 SXM 141 GB (HBM3e)", 67, 494.5, 4.8, 132, 132 * 64 * 1.98e-3),
    ];

    /// <summary>Threads resident on the whole GPU: what <see cref="Device.GridStrideThreads"/> launches there.</summary>
    public long ResidentThreads => (long)Sms * ThreadsPerSm;

    /// <summary>The GPU named <paramref name="key"/> (h100, h100-pcie, h200; case-insensitive).</summary>
    public static GpuSpec? Find(string key) =>
        Known.FirstOrDefault(g => g.Key.Equals(key.Trim(), StringComparison.OrdinalIgnoreCase));
}
