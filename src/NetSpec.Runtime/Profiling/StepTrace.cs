using ILGPU.Runtime;

namespace NetSpec.Runtime.Profiling;

public enum TraceMode
{
    /// <summary>Ops run as usual; what they launch is recorded as well.</summary>
    Execute,

    /// <summary>
    /// Launches, GEMMs and host copies are recorded but not executed: buffers are never read or written (a
    /// download returns zeros), so a step at full size can be traced on a machine that could not run it.
    /// </summary>
    RecordOnly,
}

/// <summary>
/// The events of one traced stretch of work on a device (<see cref="Device.BeginTrace"/> to
/// <see cref="Device.EndTrace"/>), in the order the host issued them.
/// </summary>
public sealed class StepTrace
{
    [ThreadStatic]
    private static StepTrace? onThisThread;

    private readonly List<TraceEvent> events = [];

    internal StepTrace(TraceMode mode, Accelerator accelerator)
    {
        Mode = mode;
        Accelerator = accelerator;
    }

    public TraceMode Mode { get; }

    public bool RecordOnly => Mode == TraceMode.RecordOnly;

    public IReadOnlyList<TraceEvent> Events
    {
        get
        {
            lock (events)
                return events.ToList();
        }
    }

    public int Launches => Count<KernelLaunch>();

    public int GemmCalls => Count<GemmCall>();

    public int Syncs => Count<HostSync>();

    public int Copies => Count<HostCopy>();

    public int WorkspaceGrowths => Count<WorkspaceGrowth>();

    internal Accelerator Accelerator { get; }

    /// <summary>Depth of GEMM calls in progress: kernels a GEMM launches itself (the tiled GEMM) are part of that call.</summary>
    internal int GemmDepth { get; set; }

    /// <summary>The trace begun on this thread, for the static host-copy helpers (<see cref="DeviceData"/>).</summary>
    internal static StepTrace? OnThisThread
    {
        get => onThisThread;
        set => onThisThread = value;
    }

    /// <summary>The trace that records copies to or from <paramref name="accelerator"/> on this thread, if any.</summary>
    internal static StepTrace? For(Accelerator accelerator) =>
        onThisThread is { } trace && ReferenceEquals(trace.Accelerator, accelerator) ? trace : null;

    public int Count<T>()
        where T : TraceEvent
    {
        lock (events)
            return events.Count(e => e is T);
    }

    internal void Add(TraceEvent e)
    {
        lock (events)
            events.Add(e);
    }
}
