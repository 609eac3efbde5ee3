using NetSpec.Runtime;
using NetSpec.Runtime.Training;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// The runtime's <see cref="Sgd"/> (PyTorch's momentum/weight-decay rule, per-parameter LrMult, on the device)
/// with its momentum buffers saved to and loaded from the checkpoint sidecar as <c>momentum.&lt;name&gt;</c>.
/// </summary>
public sealed class MomentumSgd(INetwork network, double momentum, double weightDecay) : IDisposable
{
    private readonly Sgd sgd = new(network.Device, network.Parameters, (float)momentum, (float)weightDecay);
    private readonly Dictionary<string, Parameter> weights = network.Parameters.Where(p => p.Kind == ParameterKind.Weight).ToDictionary(p => p.Name);

    public void Step(double lr) => sgd.Step((float)lr);

    public List<SafeTensorEntry> SaveState()
    {
        network.Device.Synchronize();
        return sgd.StateNames.Select(name => SafeTensorEntry.FromFloats("momentum." + name, weights[name].Shape, sgd.ReadMomentum(name))).ToList();
    }

    /// <summary>The momentum buffers as <see cref="SaveState"/> names them, read from the device as the file is written.</summary>
    public List<SafeTensorSource> StateSources()
    {
        network.Device.Synchronize();
        return sgd.StateNames.Select(name => SafeTensorSource.FromDevice("momentum." + name, weights[name].Shape, sgd.MomentumOf(name))).ToList();
    }

    public void LoadState(IEnumerable<SafeTensorEntry> entries, string path)
    {
        var loaded = new HashSet<string>();
        foreach (SafeTensorEntry e in entries)
        {
            string name = e.Name.StartsWith("momentum.", StringComparison.Ordinal) ? e.Name["momentum.".Length..] : "";
            if (!weights.TryGetValue(name, out Parameter? p))
                throw new CheckpointException($"{path}: momentum '{e.Name}' belongs to no weight of {network.SpecName}");
            float[] v = e.ToFloats();
            if (v.Length != p.Length)
                throw new CheckpointException($"{path}: momentum '{e.Name}' has {v.Length} values, the weight has {p.Length}");
            sgd.WriteMomentum(name, v);
            loaded.Add(name);
        }

        string? missing = weights.Keys.FirstOrDefault(n => !loaded.Contains(n));
        if (missing is not null)
            throw new CheckpointException($"{path}: no momentum for '{missing}'");
    }

    public void Dispose() => sgd.Dispose();
}
