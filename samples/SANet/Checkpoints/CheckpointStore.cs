using System.Globalization;
using NetSpec.Runtime;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// The files of a work dir: <c>last.safetensors</c> (weights, PyTorch names), <c>last.state.safetensors</c>
/// (momentum + <see cref="TrainState"/>), <c>best.safetensors</c> (weights with the best val mIoU).
/// Each is written atomically; both "last" files carry the iteration, and resume checks they agree.
/// </summary>
public sealed class CheckpointStore(string workDir)
{
    public string WorkDir { get; } = workDir;

    public string LastWeights => Path.Combine(WorkDir, "last.safetensors");

    public string LastState => Path.Combine(WorkDir, "last.state.safetensors");

    public string BestWeights => Path.Combine(WorkDir, "best.safetensors");

    public bool HasLast => File.Exists(LastWeights) && File.Exists(LastState);

    public void SaveLast(INetwork network, MomentumSgd sgd, TrainState state)
    {
        var iteration = Meta(network, state.Iteration);
        SafeTensorsFile.Write(LastState, sgd.SaveState(), new Dictionary<string, string>(iteration) { ["train_state"] = state.ToJson() });
        SafeTensorsFile.Write(LastWeights, StateDict.Save(network), iteration);
    }

    public void SaveBest(INetwork network, long iteration, double miou)
    {
        var meta = new Dictionary<string, string>(Meta(network, iteration)) { ["miou"] = miou.ToString("R", CultureInfo.InvariantCulture) };
        SafeTensorsFile.Write(BestWeights, StateDict.Save(network), meta);
    }

    public TrainState LoadLast(INetwork network, MomentumSgd sgd)
    {
        var (stateTensors, stateMeta) = SafeTensorsFile.Read(LastState);
        var (weights, weightMeta) = SafeTensorsFile.Read(LastWeights);
        if (!stateMeta.TryGetValue("train_state", out string? json))
            throw new CheckpointException($"{LastState}: no train_state in its metadata; not a sidecar written by this sample");
        TrainState state = TrainState.FromJson(json, LastState);
        if (weightMeta.GetValueOrDefault("iteration") != stateMeta.GetValueOrDefault("iteration"))
        {
            throw new CheckpointException(
                $"{LastWeights}: weights are from iteration {weightMeta.GetValueOrDefault("iteration")} but {LastState} from {stateMeta.GetValueOrDefault("iteration")} (run stopped while saving); delete both to start over");
        }

        LoadWeights(network, weights, LastWeights);
        sgd.LoadState(stateTensors, LastState);
        return state;
    }

    /// <summary>Loads a full checkpoint into <paramref name="network"/>; any missing or extra key is an error.</summary>
    public static void LoadWeights(INetwork network, IEnumerable<SafeTensorEntry> weights, string path)
    {
        var (missing, unexpected) = StateDict.Load(network, weights, path);
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            throw new CheckpointException(
                $"{path}: does not match spec {network.SpecName}: missing {missing.Count} ({string.Join(", ", missing.Take(3))}{(missing.Count > 3 ? ", …" : "")}), " +
                $"unexpected {unexpected.Count} ({string.Join(", ", unexpected.Take(3))}{(unexpected.Count > 3 ? ", …" : "")})");
        }
    }

    private static Dictionary<string, string> Meta(INetwork network, long iteration) => new()
    {
        ["spec"] = network.SpecName,
        ["iteration"] = iteration.ToString(CultureInfo.InvariantCulture),
        ["format"] = "pt",
    };
}
