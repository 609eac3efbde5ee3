using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using NetSpec.Runtime;
using NetSpec.Runtime.Training;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Benchmarks;

/// <summary>
/// The generated networks of this assembly (specs/*.yaml, compiled by NetSpec.Generator), found by
/// spec name so that the benchmarks name no generated class, plus weights, inputs and one training step.
/// </summary>
internal static class Networks
{
    /// <summary>Spec name (e.g. <c>sanet-tiny</c>) to the generated class, from an instance's SpecName.</summary>
    public static IReadOnlyList<Type> Types { get; } = typeof(Networks).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(INetwork).IsAssignableFrom(t))
        .ToList();

    /// <summary>Creates the network whose class name matches the spec name (sanet-r50 -> SanetR50), on <paramref name="device"/>.</summary>
    public static INetwork Create(string spec, Device device)
    {
        string cls = ClassName(spec);
        Type type = Types.FirstOrDefault(t => string.Equals(t.Name, cls, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"no generated network '{spec}' (class {cls}); generated: {string.Join(", ", Types.Select(t => t.Name))}");
        ConstructorInfo ctor = type.GetConstructors().FirstOrDefault(c => c.GetParameters() is [{ ParameterType: var p }] && p == typeof(Device))
            ?? throw new MissingMethodException($"{type.Name} has no constructor ({nameof(Device)})");
        var net = (INetwork)ctor.Invoke([device]);
        if (!string.Equals(net.SpecName, spec, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{type.Name}.SpecName is '{net.SpecName}', expected '{spec}'");
        return net;
    }

    /// <summary>sanet-r50 -> SanetR50, sanet-tiny-se -> SanetTinySe.</summary>
    public static string ClassName(string spec) =>
        string.Concat(spec.Split('-', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>Loads a safetensors state_dict; names and shapes must match the network's parameters exactly.</summary>
    public static void LoadWeights(INetwork net, string path)
    {
        SafeTensors st = SafeTensors.Read(path);
        var byName = st.Entries.ToDictionary(e => e.Name);
        var problems = new List<string>();
        foreach (Parameter p in net.Parameters)
        {
            if (!byName.TryGetValue(p.Name, out SafeTensors.Entry? e))
                problems.Add($"missing: {p.Name} [{string.Join(", ", p.Shape)}]");
            else if (e.Count != p.Length || !(e.Shape.SequenceEqual(p.Shape) || (p.Kind == ParameterKind.Counter && e.Count == 1)))
                problems.Add($"shape: {p.Name} file [{string.Join(", ", e.Shape)}] net [{string.Join(", ", p.Shape)}]");
        }

        foreach (SafeTensors.Entry e in st.Entries.Where(e => net.Parameters.All(p => p.Name != e.Name)))
            problems.Add($"unexpected: {e.Name} [{string.Join(", ", e.Shape)}]");
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: state_dict names differ from {net.SpecName}'s:\n  " + string.Join("\n  ", problems.Take(40)));
        foreach (Parameter p in net.Parameters)
            p.Value.View.CopyFromCPU(byName[p.Name].AsFloats());
        net.Device.Synchronize();
    }

    /// <summary>Writes image and labels into the network's input buffers: from a safetensors file (image F32, labels I32) or seeded random.</summary>
    public static void WriteInputs(INetwork net, string? path, int seed)
    {
        float[] image;
        int[] labels;
        if (path is not null)
        {
            SafeTensors st = SafeTensors.Read(path);
            image = st["image"].AsFloats();
            labels = st["labels"].AsInts();
        }
        else
        {
            var rng = new Random(1234 + seed);
            image = new float[net.Image.Length];
            for (int i = 0; i < image.Length; i++)
                image[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            labels = new int[net.Labels.Length];
            for (int i = 0; i < labels.Length; i++)
                labels[i] = rng.NextDouble() < 0.05 ? net.IgnoreLabel : rng.Next(net.NumClasses);
        }

        if (image.LongLength != net.Image.Length || labels.LongLength != net.Labels.Length)
            throw new InvalidDataException($"inputs hold {image.Length} image and {labels.Length} label values; the network is prepared for {net.Image} and {net.Labels.Length}");
        net.Image.View.CopyFromCPU(image);
        net.Labels.View.CopyFromCPU(labels);
        net.Device.Synchronize();
    }

    /// <summary>Eval-mode outputs (mask, dense, cat, ...) into a safetensors file, shapes as PyTorch's (cat as (N, K)).</summary>
    public static void DumpOutputs(INetwork net, string path)
    {
        net.Forward(training: false);
        net.Device.Synchronize();
        var st = new SafeTensors();
        st.Metadata["side"] = "netspec";
        st.Metadata["net"] = net.SpecName;
        foreach (string name in net.OutputNames)
        {
            Tensor t = net.Output(name);
            ArrayView1D<float, Stride1D.Dense> view = t.View.SubView(0, t.Length);
            float[] host = view.GetAsArray1D();
            int[] shape = t.H == 1 && t.W == 1 && name == "cat" ? [t.N, t.C] : [t.N, t.C, t.H, t.W];
            st.AddFloats(name, shape, host);
        }

        st.Write(path);
    }
}

/// <summary>
/// One training step as bench.py's: forward (training), the spec's weighted losses, backward, SGD
/// (momentum 0.9, weight decay 1e-4, head 10x through Parameter.LrMult, poly lr).
/// </summary>
internal sealed class TrainingStep : IDisposable
{
    private const int MaxIter = 1000;
    private readonly INetwork net;
    private readonly Sgd sgd;
    private readonly float baseLr;
    private int iter;

    public TrainingStep(INetwork net)
    {
        this.net = net;
        baseLr = 0.001f * net.BatchSize / 16;
        // The one place that names the optimizer's API (NetSpec.Runtime.Training): adjust here at integration.
        sgd = new Sgd(net.Device, net.Parameters, momentum: 0.9f, weightDecay: 1e-4f);
    }

    public float LastLoss { get; private set; }

    /// <summary>Runs one step and waits for it (the loss read-back synchronises).</summary>
    public void Run()
    {
        float lr = baseLr * MathF.Pow(1 - (float)iter / MaxIter, 0.9f);
        net.StepSeed = (ulong)iter;
        net.Forward(training: true);
        net.Backward();
        sgd.Step(lr);
        LastLoss = net.ReadLosses().Total;
        net.Device.Synchronize();
        iter++;
    }

    public void Dispose() => ((object)sgd as IDisposable)?.Dispose();
}
