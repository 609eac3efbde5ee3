namespace NetSpec.Runtime;

/// <summary>
/// Host arrays a device's ops reuse from call to call (SyncBN's per-channel sums on their way through the
/// communicator), each grown to the largest request and then kept: a training step allocates none of them.
/// One device's ops run one at a time, so one set a device is enough.
/// </summary>
internal sealed class HostScratch
{
    private double[] local = [];
    private double[] totals = [];
    private float[] floats = [];

    /// <summary>This rank's sums, before the all-reduce.</summary>
    public double[] Local(int length) => local.Length >= length ? local : local = new double[length];

    /// <summary>Every rank's totals, after it.</summary>
    public double[] Totals(int length) => totals.Length >= length ? totals : totals = new double[length];

    /// <summary>Floats on their way to or from device memory.</summary>
    public Span<float> Floats(int length) => (floats.Length >= length ? floats : floats = new float[length]).AsSpan(0, length);
}

public sealed partial class Device
{
    internal HostScratch Scratch { get; } = new();
}
