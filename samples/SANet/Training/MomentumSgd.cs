using NetSpec.Runtime;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// SGD with momentum and weight decay, PyTorch's rule: d = g + wd·w (when the parameter takes decay);
/// v = μ·v + d; w −= lr·LrMult·v. The momentum lives on the host so that checkpoints save it exactly.
/// </summary>
public sealed class MomentumSgd(INetwork network, double momentum, double weightDecay)
{
    private readonly Parameter[] weights = network.Parameters.Where(p => p.Kind == ParameterKind.Weight).ToArray();
    private readonly Dictionary<string, float[]> velocity = new();

    public double Momentum { get; } = momentum;

    public double WeightDecay { get; } = weightDecay;

    public void Step(double lr)
    {
        network.Device.Synchronize();
        foreach (Parameter p in weights)
        {
            float[] w = HostCopy.Download(p.Value.View);
            float[] g = HostCopy.Download(p.Grad!.View);
            if (!velocity.TryGetValue(p.Name, out float[]? v))
                velocity[p.Name] = v = new float[w.Length];
            float decay = p.WeightDecay ? (float)WeightDecay : 0f;
            float mu = (float)Momentum, step = (float)(lr * p.LrMult);
            for (int i = 0; i < w.Length; i++)
            {
                v[i] = (mu * v[i]) + g[i] + (decay * w[i]);
                w[i] -= step * v[i];
            }

            HostCopy.Upload(p.Value.View, w);
        }
    }

    public List<SafeTensorEntry> SaveState() =>
        weights.Where(p => velocity.ContainsKey(p.Name))
            .Select(p => SafeTensorEntry.FromFloats("momentum." + p.Name, p.Shape, velocity[p.Name]))
            .ToList();

    public void LoadState(IEnumerable<SafeTensorEntry> entries, string path)
    {
        var byName = weights.ToDictionary(p => "momentum." + p.Name);
        foreach (SafeTensorEntry e in entries)
        {
            if (!byName.TryGetValue(e.Name, out Parameter? p))
                continue;
            float[] v = e.ToFloats();
            if (v.Length != p.Length)
                throw new CheckpointException($"{path}: momentum '{e.Name}' has {v.Length} values, the weight has {p.Length}");
            velocity[p.Name] = v;
        }
    }
}
