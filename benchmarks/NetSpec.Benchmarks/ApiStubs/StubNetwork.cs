#if NETSPEC_API_STUBS
// A do-nothing INetwork ("stub-tiny") for smoke-running --peer-json and the safetensors paths
// before the generator emits real networks. Compiled only with -p:UseApiStubs=true.
using ILGPU;
using ILGPU.Runtime;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Benchmarks.ApiStubs;

public sealed class StubTiny(Device device) : INetwork
{
    private readonly List<Parameter> parameters =
    [
        new(device.Accelerator, "head.cls1.weight", [6, 32, 1, 1], ParameterKind.Weight, "head", 10, true),
        new(device.Accelerator, "head.cls1.bias", [6], ParameterKind.Weight, "head", 10, false),
        new(device.Accelerator, "backbone.stem.1.num_batches_tracked", [1], ParameterKind.Counter, "backbone", 1, false),
    ];

    private MemoryBuffer1D<float, Stride1D.Dense>? image, mask;
    private MemoryBuffer1D<int, Stride1D.Dense>? labels;

    public string SpecName => "stub-tiny";

    public int NumClasses => 6;

    public int IgnoreLabel => 255;

    public Device Device => device;

    public IReadOnlyList<Parameter> Parameters => parameters;

    public IReadOnlyList<string> OutputNames => ["mask"];

    public int BatchSize { get; private set; }

    public int Height { get; private set; }

    public int Width { get; private set; }

    public Tensor Image => new(image!.View, BatchSize, 3, Height, Width);

    public LabelMap Labels => new(labels!.View, BatchSize, Height, Width);

    public ulong StepSeed { get; set; }

    public long PlannedPeakBytes => (image?.LengthInBytes ?? 0) + (mask?.LengthInBytes ?? 0);

    public void InitializeParameters(ulong seed) { }

    public void Prepare(int batch, int height, int width, bool training)
    {
        (BatchSize, Height, Width) = (batch, height, width);
        image = device.Accelerator.Allocate1D<float>((long)batch * 3 * height * width);
        labels = device.Accelerator.Allocate1D<int>((long)batch * height * width);
        mask = device.Accelerator.Allocate1D<float>((long)batch * 6 * height * width);
    }

    public void Forward(bool training) => Thread.Sleep(5);

    public LossValues ReadLosses() => new(1f, new Dictionary<string, float> { ["mask"] = 1f });

    public void Backward() => Thread.Sleep(5);

    public Tensor Output(string name) => new(mask!.View, BatchSize, 6, Height, Width);

    public void Dispose()
    {
        foreach (Parameter p in parameters)
            p.Dispose();
        image?.Dispose();
        labels?.Dispose();
        mask?.Dispose();
    }
}
#endif
