using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace NetSpec.Runtime;

public enum DeviceKind
{
    Cpu,
    Cuda,
    OpenCL,
}

/// <summary>Asked for a device that is not present; the message names the ones that are.</summary>
public sealed class DeviceNotAvailableException(string message) : Exception(message);

/// <summary>
/// One ILGPU accelerator with its kernels (loaded once, kept) and a reusable workspace.
/// <c>auto</c> picks CUDA, then OpenCL, then the CPU accelerator.
/// </summary>
/// <remarks>
/// The ILGPU context and each accelerator are opened once per process and shared by every <see cref="Device"/>
/// on them; disposing a Device frees its own workspace, never the accelerator. ILGPU 1.5.3's accelerator
/// GC thread can wake after the accelerator was disposed and die on a NullReferenceException in
/// <c>Accelerator.ChildObjectsGC_SyncRoot</c>, which ends the process (seen in our tests, which open and
/// close devices many times in one process). Accelerators are cheap to keep and costly to reopen anyway.
/// </remarks>
public sealed partial class Device : IDisposable
{
    private static readonly object OpenLock = new();
    private static readonly Dictionary<ILGPU.Runtime.Device, Accelerator> Opened = new();
    private static Context? shared;
    private readonly ConcurrentDictionary<string, Delegate> kernels = new();
    private readonly ConcurrentDictionary<string, Delegate> taps = new();
    private MemoryBuffer1D<float, Stride1D.Dense>? workspace;
    private Gemm.IGemm? hostGemm;
    private Gemm.IGemm? deviceGemm;
    private Gemm.IGemm? tracingGemm;
    private bool hostCodeBeforeTrace;
    private long gridThreadsOverride;

    private long kernelRequests;

    private Device(Accelerator accelerator, DeviceKind kind)
    {
        Accelerator = accelerator;
        Kind = kind;
        HostCode = kind == DeviceKind.Cpu;
        KernelColumnLimitFloats = Math.Clamp(accelerator.MemorySize / sizeof(float) / 16, 1L << 24, int.MaxValue - 1L);
    }

    public DeviceKind Kind { get; }

    public Accelerator Accelerator { get; }

    public string Name => $"{Kind.ToString().ToLowerInvariant()}: {Accelerator.Name}";

    /// <summary>The GEMM for this device: vectorised host code (CPU), cuBLAS (CUDA), a tiled kernel (OpenCL).</summary>
    public Gemm.IGemm Gemm => Trace is null ? UntracedGemm : tracingGemm ??= new Profiling.TracingGemm(this);

    /// <summary>
    /// The GEMM an executed trace runs: on the CPU accelerator the host GEMM, even on the kernel path (the trace
    /// records the BLAS call, not what computes it; the tiled kernel's emulated group barriers would take seconds
    /// a GEMM); elsewhere the device's own.
    /// </summary>
    internal Gemm.IGemm TracedExecutionGemm => Kind == DeviceKind.Cpu ? hostGemm ??= new Gemm.CpuGemm(this) : UntracedGemm;

    internal Gemm.IGemm UntracedGemm => HostCode || HostGemm
        ? hostGemm ??= new Gemm.CpuGemm(this)
        : deviceGemm ??= Kind == DeviceKind.Cuda ? new Gemm.CuBlasGemm(this) : new Gemm.TiledGemm(this);

    /// <summary>
    /// Whether heavy ops run as vectorised host code over the buffers (the CPU accelerator's default) instead
    /// of ILGPU kernels. Tests turn it off to run every kernel on the CPU accelerator too.
    /// </summary>
    public bool HostCode { get; internal set; }

    /// <summary>
    /// Tests: the GEMM as vectorised host code while every other op runs its kernels on the CPU accelerator (whose
    /// emulated 4×4 groups make the tiled GEMM take minutes for a network; on CUDA the GEMM is cuBLAS anyway).
    /// </summary>
    internal bool HostGemm { get; set; }

    /// <summary>
    /// Whether cuBLAS may use TF32 tensor cores (10-bit mantissa inputs) for float32 GEMMs; on by default,
    /// off for float32-exact checks. Other devices always compute in float32.
    /// </summary>
    public bool AllowTf32 { get; set; } = true;

    /// <summary>
    /// The ranks training one model with this device (docs/distributed.md). With more than one, batch norm's training
    /// statistics and gradient sums are those of the global batch (SyncBN); the generated code is the same.
    /// </summary>
    public Distributed.ICommunicator Communicator { get; set; } = Distributed.SingleProcess.Instance;

    /// <summary>
    /// Images of the global batch before this device's own (a data-parallel rank's shard starts at rank × shard size):
    /// per-element random streams (dropout's mask) are drawn at their global index, as one process with the whole batch.
    /// </summary>
    public long BatchOffset { get; set; }

    /// <summary>The devices this machine offers, in <c>auto</c>'s order of preference, e.g. <c>cuda:0 NVIDIA H100</c>, <c>cpu</c>.</summary>
    public static IReadOnlyList<string> Available()
    {
        using Context probe = CreateContext();
        return Describe(probe);
    }

    /// <summary>Whether a device of this kind is present (cached after the first probe).</summary>
    public static bool Has(DeviceKind kind) => PresentKinds.Value.Contains(kind);

    private static readonly Lazy<HashSet<DeviceKind>> PresentKinds = new(() =>
    {
        using Context probe = CreateContext();
        return probe.Devices.Select(d => KindOf(d.AcceleratorType)).ToHashSet();
    });

    private static List<string> Describe(Context context)
    {
        var names = new List<string>();
        foreach (var group in context.Devices.GroupBy(d => KindOf(d.AcceleratorType)).OrderBy(g => Rank(g.Key)))
        {
            int i = 0;
            foreach (ILGPU.Runtime.Device d in group)
                names.Add(group.Key == DeviceKind.Cpu ? "cpu" : $"{group.Key.ToString().ToLowerInvariant()}:{i++} {d.Name}");
        }

        return names.Distinct().ToList();
    }

    /// <summary>Opens <c>auto</c>, <c>cuda</c>, <c>opencl</c> or <c>cpu</c>.</summary>
    public static Device Create(string name = "auto")
    {
        string wanted = name.Trim().ToLowerInvariant();
        if (wanted is not ("auto" or "cuda" or "opencl" or "cpu"))
            throw new DeviceNotAvailableException($"unknown device '{name}': use auto, cuda, opencl or cpu");

        lock (OpenLock)
        {
            Context context = shared ??= CreateContext();
            ILGPU.Runtime.Device? chosen = context.Devices
                .Where(d => wanted == "auto" || KindOf(d.AcceleratorType).ToString().Equals(wanted, StringComparison.OrdinalIgnoreCase))
                .OrderBy(d => Rank(KindOf(d.AcceleratorType)))
                .FirstOrDefault();
            if (chosen is null)
                throw new DeviceNotAvailableException($"no {wanted} device on this machine; present: {string.Join(", ", Describe(context))}");

            if (!Opened.TryGetValue(chosen, out Accelerator? accelerator))
            {
                accelerator = chosen.CreateAccelerator(context);
                Opened[chosen] = accelerator;
            }

            return new Device(accelerator, KindOf(chosen.AcceleratorType));
        }
    }

    /// <summary>The trace being recorded (Profiling/StepTrace.cs), or null.</summary>
    public Profiling.StepTrace? Trace { get; private set; }

    /// <summary>
    /// Starts recording every kernel launch, GEMM, host copy, sync and workspace growth on this device (on this
    /// thread, for copies). Record-only and <paramref name="kernelPath"/> traces drive ops through their
    /// kernels (<see cref="HostCode"/> off) until <see cref="EndTrace"/>.
    /// </summary>
    /// <param name="mode">Execute, or record without running (Profiling/StepTrace.cs).</param>
    /// <param name="kernelPath">Run ops through their kernels, as on a GPU, even on the CPU accelerator.</param>
    /// <param name="gridThreads">Record-only: size grid-stride launches as a GPU with this many resident threads
    /// would (SMs × threads per SM), so that the trace holds the launches that GPU would get; 0: this device's.</param>
    public Profiling.StepTrace BeginTrace(Profiling.TraceMode mode, bool kernelPath = false, long gridThreads = 0)
    {
        if (Trace is not null)
            throw new InvalidOperationException("a trace is already being recorded on this device");
        if (gridThreads < 0 || (gridThreads > 0 && mode != Profiling.TraceMode.RecordOnly))
            throw new ArgumentException("gridThreads applies to record-only traces and must not be negative", nameof(gridThreads));
        gridThreadsOverride = gridThreads;
        hostCodeBeforeTrace = HostCode;
        if (mode == Profiling.TraceMode.RecordOnly || kernelPath)
            HostCode = false;
        Trace = new Profiling.StepTrace(mode, Accelerator);
        Profiling.StepTrace.OnThisThread = Trace;
        return Trace;
    }

    /// <summary>
    /// Threads a group may hold: the accelerator's limit, or in a record-only trace sized for a GPU (<see cref="BeginTrace"/>
    /// with gridThreads) CUDA's 1,024, so that group kernels are recorded as that GPU runs them.
    /// </summary>
    internal int MaxGroupThreads => gridThreadsOverride > 0 ? 1024 : Accelerator.MaxNumThreadsPerGroup;

    /// <summary>Stops recording and returns the trace (the device runs ops as before it began).</summary>
    public Profiling.StepTrace EndTrace()
    {
        Profiling.StepTrace trace = Trace ?? throw new InvalidOperationException("no trace is being recorded on this device");
        Trace = null;
        gridThreadsOverride = 0;
        if (ReferenceEquals(Profiling.StepTrace.OnThisThread, trace))
            Profiling.StepTrace.OnThisThread = null;
        HostCode = hostCodeBeforeTrace;
        return trace;
    }

    /// <summary>Records a kernel launch on the trace; true when the kernel should run (not record-only).</summary>
    internal bool RecordLaunch(string name, long threads, long viewBytes, long largestView)
    {
        if (Trace is not { } trace)
            return true;
        if (trace.GemmDepth == 0)
            trace.Add(new Profiling.KernelLaunch(name, threads, viewBytes, largestView));
        return !trace.RecordOnly;
    }

    public void Synchronize()
    {
        if (Trace is { GemmDepth: 0 } trace)
            trace.Add(new Profiling.HostSync()); // a sync inside a GEMM call (the host GEMM's) is part of that call
        Accelerator.Synchronize();
    }

    /// <summary>
    /// The launcher of a kernel method (<c>static void K(Index1D i, …)</c>): ILGPU's auto-grouped stream
    /// kernel, loaded the first time it is asked for and kept. (With <see cref="HostCode"/> every op takes its
    /// host path instead; a kernel launched anyway runs on the CPU accelerator's threads.)
    /// </summary>
    public TDelegate Kernel<TDelegate>(string key, TDelegate kernel)
        where TDelegate : Delegate
    {
        Interlocked.Increment(ref kernelRequests);
        return Trace is null
            ? LoadKernel(key, kernel)
            : (TDelegate)taps.GetOrAdd(key, _ => Profiling.KernelTap<TDelegate>.Wrap(this, key, () => LoadKernel(key, kernel)));
    }

    /// <summary>A kernel that needs ILGPU itself (groups, shared memory), loaded once and kept; never host code.</summary>
    public TDelegate GroupKernel<TDelegate>(string key, Func<Accelerator, TDelegate> load)
        where TDelegate : Delegate
    {
        Interlocked.Increment(ref kernelRequests);
        return Trace is null
            ? LoadGroupKernel(key, load)
            : (TDelegate)taps.GetOrAdd(key, _ => Profiling.KernelTap<TDelegate>.Wrap(this, key, () => LoadGroupKernel(key, load)));
    }

    /// <summary>
    /// Launchers handed out by <see cref="Kernel{TDelegate}"/> and <see cref="GroupKernel{TDelegate}"/>; ops ask for a
    /// launcher right before each launch, so this counts kernel launches (cuBLAS calls aside). Tests count an op's launches with it.
    /// </summary>
    internal long KernelRequests => Interlocked.Read(ref kernelRequests);

    private TDelegate LoadKernel<TDelegate>(string key, TDelegate kernel)
        where TDelegate : Delegate =>
        (TDelegate)(kernels.TryGetValue(key, out Delegate? loaded)
            ? loaded
            : kernels.GetOrAdd(key, KernelLoader.Load(Accelerator, kernel)));

    private TDelegate LoadGroupKernel<TDelegate>(string key, Func<Accelerator, TDelegate> load)
        where TDelegate : Delegate =>
        (TDelegate)kernels.GetOrAdd(key, _ => load(Accelerator));

    /// <summary>
    /// Where an op takes its host path (<see cref="HostCode"/>): synchronises (host code reads what queued kernels write)
    /// and returns true; else false, with the <paramref name="threads"/> of a grid-stride kernel over <paramref name="items"/>.
    /// </summary>
    internal bool HostPath(long items, out int threads)
    {
        threads = 0;
        if (HostCode)
        {
            Synchronize();
            return true;
        }

        threads = GridStrideThreads(items);
        return false;
    }

    /// <summary>
    /// Threads to launch for a grid-stride loop over <paramref name="n"/> items: few on the CPU
    /// accelerator (each emulated thread costs about a microsecond), many on a GPU.
    /// </summary>
    public int GridStrideThreads(long n)
    {
        long cap = gridThreadsOverride > 0 ? gridThreadsOverride
            : Kind == DeviceKind.Cpu
            ? Accelerator.MaxNumThreadsPerGroup * Math.Max(1, Environment.ProcessorCount)
            : (long)Accelerator.NumMultiprocessors * Accelerator.MaxNumThreadsPerMultiprocessor;
        return (int)Math.Max(1, Math.Min(n, cap));
    }

    /// <summary>
    /// Host code: the most floats a convolution's im2col columns may take (all workers together); a conv
    /// whose columns would take more is unfolded a chunk of input channels at a time (at least one channel).
    /// 512 Ki floats (2 MiB, a core's L2 on the Zen 5 we measure on, 1 MiB a worker with a batch): a chunk is
    /// still in cache when the GEMM packs it (the measurement: docs/benchmarks.md).
    /// </summary>
    internal long ColumnLimitFloats { get; set; } = 512L << 10;

    /// <summary>
    /// Kernels: the most floats a conv's whole-batch workspace (im2col columns, per-image weight gradients) may take;
    /// past it, images come a chunk at a time (at least one), each chunk with its own launches. A 16th of the device's
    /// memory, at least 16 Mi floats and below 2^31 (the kernels index in 32 bits): 1.24 Gi floats on an 80 GB H100, where
    /// sanet-r50's widest conv at 480×480 (head.fcn.0's weight gradient) takes 72 Mi floats an image, so batches up to 17
    /// are one chunk (docs/design/gpu-path.md). Tests make it tiny to check the chunks.
    /// </summary>
    internal long KernelColumnLimitFloats { get; set; }

    /// <summary>Kernels: groups a channel the batch-norm kernels use (0: as many as fill the device); tests force several.</summary>
    internal int BatchNormSlices { get; set; }

    /// <summary>
    /// Host code: the most floats the partial weight gradients of a conv's workers may take (each worker but the first
    /// sums its images into its own copy of dW, added at the end); past it, the conv's weight gradient takes one worker
    /// whose GEMMs are parallel inside. 32 Mi floats (128 MiB): never reached on a few cores (sanet-r50's widest weight,
    /// head.fcn.0's 9.4 M floats, once on 2 cores), while 64 cores would otherwise hold 63 copies of it, 2.4 GB
    /// (docs/memory.md). Tests set 0 to run every weight gradient through the one-worker path.
    /// </summary>
    internal long WeightGradientPartialsLimitFloats { get; set; } = 32L << 20;

    /// <summary>
    /// Host code: the shortest slice of a conv GEMM's K a column chunk of input channels may hold (a shorter K
    /// leaves the register tile too little work per load of C); past the limit, output rows are split instead.
    /// </summary>
    internal int ColumnMinK { get; set; } = 256;

    /// <summary>
    /// Host code: 3×3 stride-1 convs with at least this many input and output channels per group run through
    /// Winograd F(2×2, 3×3) (2.25× fewer multiplies than im2col + GEMM; forward and input gradient); 0: never.
    /// </summary>
    internal int WinogradMinChannels { get; set; } = 16;

    /// <summary>
    /// Host code: the most floats a Winograd conv's products M (16·K·tiles) may take, all workers together; past
    /// it, tile rows are taken a chunk at a time (and the filters transformed again for each chunk).
    /// </summary>
    internal long WinogradTileLimitFloats { get; set; } = 2L << 20;

    /// <summary>
    /// Host code: the most floats a Winograd conv's transformed filters U and tiles V may take, all workers
    /// together; past it, input channels are taken a chunk at a time (their products add into M). Chunks that
    /// stay in cache pay, and so does transforming each filter once (the limits' measurements: docs/benchmarks.md,
    /// "Runtime constants and their measurements").
    /// </summary>
    internal long WinogradLimitFloats { get; set; } = 2L << 20;

    /// <summary>Host code: Winograd's transforms through AVX-512 where the CPU has it (tests turn it off to check the
    /// scalar transforms that other CPUs run).</summary>
    internal bool WinogradAvx512 { get; set; } = System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    /// <summary>Bytes held by the scratch buffer (its high-water mark: it only grows).</summary>
    public long WorkspaceBytes => (workspace?.Length ?? 0) * sizeof(float);

    /// <summary>A scratch buffer of at least <paramref name="floats"/>; grows (reallocates) only when too small.</summary>
    public ArrayView<float> Workspace(long floats)
    {
        if (workspace is null || workspace.Length < floats)
        {
            Trace?.Add(new Profiling.WorkspaceGrowth(WorkspaceBytes, Math.Max(floats, 1) * sizeof(float)));
            if (workspace is not null)
            {
                Synchronize(); // a pending kernel may still read the old buffer
                workspace.Dispose();
            }

            workspace = Accelerator.Allocate1D<float>(Math.Max(floats, 1));
        }

        return workspace.View.SubView(0, Math.Max(floats, 1));
    }

    public void Dispose()
    {
        Synchronize();
        (deviceGemm as IDisposable)?.Dispose();
        workspace?.Dispose();
    }

    private static Context CreateContext() =>
        Context.Create(builder => builder.Default().EnableAlgorithms().Math(MathMode.Fast32BitOnly));

    private static DeviceKind KindOf(AcceleratorType type) => type switch
    {
        AcceleratorType.Cuda => DeviceKind.Cuda,
        AcceleratorType.OpenCL => DeviceKind.OpenCL,
        _ => DeviceKind.Cpu,
    };

    private static int Rank(DeviceKind kind) => kind switch
    {
        DeviceKind.Cuda => 0,
        DeviceKind.OpenCL => 1,
        _ => 2,
    };
}
