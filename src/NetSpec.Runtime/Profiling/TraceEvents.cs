namespace NetSpec.Runtime.Profiling;

/// <summary>One thing the runtime did on a device during a traced step (plain records: tests count and compare them).</summary>
public abstract record TraceEvent;

/// <summary>
/// An ILGPU kernel launch: its key (<c>im2col</c>, <c>bn.apply</c>, …), the threads launched (grid-stride counts
/// depend on the device, or on the GPU a record-only trace sizes them for), the bytes of every view passed to it
/// (Σ view length × element size) and the length of the largest view (elements).
/// </summary>
public sealed record KernelLaunch(string Name, long Threads, long ViewBytes, long LargestView) : TraceEvent;

/// <summary>
/// A BLAS call, row-major C (m,n) = op(A) (m,k) · op(B) (k,n) [+ β·C], <paramref name="BatchCount"/> products of
/// that shape; <paramref name="ReadsC"/> when β ≠ 0; <paramref name="Tf32"/> when TF32 tensor-op math was allowed.
/// </summary>
public sealed record GemmCall(bool TransA, bool TransB, int M, int N, int K, int BatchCount, bool ReadsC, bool Tf32) : TraceEvent
{
    /// <summary>2·m·n·k per product (a multiply and an add).</summary>
    public double Flops => 2.0 * M * N * K * BatchCount;

    /// <summary>Bytes that must move at least once: A, B and C written (and read when β ≠ 0), float32.</summary>
    public double Bytes => 4.0 * BatchCount * (((double)M * K) + ((double)K * N) + ((double)M * N * (ReadsC ? 2 : 1)));

    public string Shape => $"{(TransA ? 'T' : 'N')}{(TransB ? 'T' : 'N')}";
}

public enum CopyKind
{
    Upload,
    Download,
    Zero,
}

/// <summary>A copy between host and device through <see cref="DeviceData"/> (each one drains the device first).</summary>
public sealed record HostCopy(CopyKind Kind, long Bytes) : TraceEvent;

/// <summary>A <see cref="Device.Synchronize"/>: the host waits for the device.</summary>
public sealed record HostSync : TraceEvent;

/// <summary>The device's workspace was reallocated to a larger size (a sync and an allocation).</summary>
public sealed record WorkspaceGrowth(long FromBytes, long ToBytes) : TraceEvent;
