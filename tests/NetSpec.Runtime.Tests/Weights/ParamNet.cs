using NetSpec.Runtime;

namespace NetSpec.Runtime.Tests.Weights;

/// <summary>
/// An <see cref="INetwork"/> that is only its parameters (named and shaped as given), for the weights API:
/// it cannot run (Prepare and Forward throw).
/// </summary>
public sealed class ParamNet(Device device, string specName, params (string Name, int[] Shape, ParameterKind Kind)[] layout) : INetwork
{
    public string SpecName { get; } = specName;

    public int NumClasses => 2;

    public int IgnoreLabel => 255;

    public Device Device { get; } = device;

    public IReadOnlyList<Parameter> Parameters { get; } =
        layout.Select(l => new Parameter(device.Accelerator, l.Name, l.Shape, l.Kind, "all", 1f, true)).ToList();

    public IReadOnlyList<string> OutputNames => ["mask"];

    public int BatchSize => 0;

    public int Height => 0;

    public int Width => 0;

    public Tensor Image => throw new NotSupportedException();

    public LabelMap Labels => throw new NotSupportedException();

    public ulong StepSeed { get; set; }

    public long PlannedPeakBytes => 0;

    /// <summary>Parameter i, element j = seed·1000 + i·100 + j (counters: seed + i).</summary>
    public void InitializeParameters(ulong seed)
    {
        for (int i = 0; i < Parameters.Count; i++)
        {
            Parameter p = Parameters[i];
            float[] values = p.Kind == ParameterKind.Counter
                ? [seed + (ulong)i]
                : Enumerable.Range(0, (int)p.Length).Select(j => (seed * 1000f) + (i * 100) + j).ToArray();
            DeviceData.Upload<float>(p.Value.View, values);
        }
    }

    public float[] Values(string name) => DeviceData.Download<float>(Parameters.Single(p => p.Name == name).Value.View);

    public void Prepare(int batch, int height, int width, bool training) => throw new NotSupportedException();

    public void Forward(bool training) => throw new NotSupportedException();

    public LossValues ReadLosses() => throw new NotSupportedException();

    public void Backward() => throw new NotSupportedException();

    public Tensor Output(string name) => throw new NotSupportedException();

    public void Dispose()
    {
        foreach (Parameter p in Parameters)
            p.Dispose();
    }
}
