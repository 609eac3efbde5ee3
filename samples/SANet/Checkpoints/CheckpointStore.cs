using System.Globalization;
using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// The files of a work dir. <c>last.state.safetensors</c> is the one file resume reads: weights, momentum
/// (<c>momentum.*</c>) and the <see cref="TrainState"/>, written atomically, so a kill at any instant leaves the
/// previous complete checkpoint or the new one. <c>last.safetensors</c> (weights only, for eval/predict) is
/// written just before it, so it is never older than the state; <c>best.safetensors</c> holds the weights with
/// the best val mIoU. A fresh run writes the state file first (iteration 0), before any other file exists.
/// Every file's metadata is a <see cref="CheckpointMetadata"/>: spec, layout hash, the training crop (predict's
/// default window), iteration.
/// </summary>
public sealed class CheckpointStore(string workDir, int? trainingCrop = null)
{
    private const string MomentumPrefix = "momentum.";

    public string WorkDir { get; } = workDir;

    public string LastWeights => Path.Combine(WorkDir, "last.safetensors");

    public string LastState => Path.Combine(WorkDir, "last.state.safetensors");

    public string BestWeights => Path.Combine(WorkDir, "best.safetensors");

    public bool HasState => File.Exists(LastState);

    /// <summary>The class names written into each file's metadata as <c>class_names</c> (a JSON list), when set.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// The run's files present in the work dir (what a fresh run would replace), state first; the run's record
    /// (config.yaml, run.jsonl: samples/SANet/Records) last.
    /// </summary>
    public List<string> ExistingFiles() =>
        new[] { LastState, LastWeights, BestWeights, Path.Combine(WorkDir, "config.yaml"), Path.Combine(WorkDir, "run.jsonl") }.Where(File.Exists).ToList();

    /// <summary>Deletes the run's files, the state first: a kill midway leaves no resumable stale run.</summary>
    public void DeleteRun()
    {
        foreach (string file in ExistingFiles())
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CheckpointException($"{file}: cannot delete ({e.Message})");
            }
        }
    }

    /// <summary>
    /// Saves the eval weights, then the state (weights + momentum + <paramref name="state"/>). Tensors are streamed from
    /// the device into each file (<see cref="StateDict.Sources"/>): a save holds one chunk in memory, not a copy of the run.
    /// </summary>
    public void SaveLast(INetwork network, MomentumSgd sgd, TrainState state)
    {
        SafeTensorsFile.WriteStreamed(LastWeights, StateDict.Sources(network), Meta(network, state.Iteration), FaultPoints.Reached);
        SaveState(network, sgd, state);
    }

    /// <summary>Saves the state file alone (a fresh run's iteration 0).</summary>
    public void SaveState(INetwork network, MomentumSgd sgd, TrainState state)
    {
        var meta = new Dictionary<string, string>(Meta(network, state.Iteration)) { ["train_state"] = state.ToJson() };
        SafeTensorsFile.WriteStreamed(LastState, [.. StateDict.Sources(network), .. sgd.StateSources()], meta, FaultPoints.Reached);
    }

    public void SaveBest(INetwork network, long iteration, double miou)
    {
        var meta = new Dictionary<string, string>(Meta(network, iteration)) { ["miou"] = miou.ToString("R", CultureInfo.InvariantCulture) };
        SafeTensorsFile.WriteStreamed(BestWeights, StateDict.Sources(network), meta, FaultPoints.Reached);
    }

    /// <summary>Loads weights and momentum from the state file alone and returns its training state.</summary>
    public TrainState LoadLast(INetwork network, MomentumSgd sgd)
    {
        using SafeTensorsReader reader = SafeTensorsReader.Open(LastState);
        CheckpointMetadata meta = CheckpointMetadata.FromDictionary(reader.Metadata, LastState);
        if (meta.Extra?.GetValueOrDefault("train_state") is not string json)
            throw new CheckpointException($"{LastState}: no train_state in its metadata; not a checkpoint written by this sample");
        TrainState state = TrainState.FromJson(json, LastState);
        if (state.Recipe.Spec != network.SpecName)
            throw new CheckpointException($"{LastState}: holds a run of spec {state.Recipe.Spec}, not {network.SpecName}");
        var momentum = reader.Tensors.Where(t => t.Name.StartsWith(MomentumPrefix, StringComparison.Ordinal)).ToList();
        if (momentum.Count == 0)
            throw new CheckpointException($"{LastState}: holds no momentum; not a checkpoint written by this sample");
        LoadWeights(network, reader.Tensors.Except(momentum).Select(reader.ReadEntry), LastState);
        sgd.LoadState(momentum.Select(reader.ReadEntry), LastState);
        return state;
    }

    /// <summary>The mIoU and iteration recorded in <c>best.safetensors</c>, or null when there is none.</summary>
    public (double Miou, long Iteration)? ReadBest()
    {
        if (!File.Exists(BestWeights))
            return null;
        IReadOnlyDictionary<string, string> meta = NetworkWeights.ReadMetadata(BestWeights).Extra ?? new Dictionary<string, string>();
        if (!double.TryParse(meta.GetValueOrDefault("miou"), NumberStyles.Float, CultureInfo.InvariantCulture, out double miou) || !double.IsFinite(miou)
            || !long.TryParse(meta.GetValueOrDefault("iteration"), NumberStyles.None, CultureInfo.InvariantCulture, out long iteration))
        {
            throw new CheckpointException($"{BestWeights}: no valid miou and iteration in its metadata; not written by this sample");
        }

        return (miou, iteration);
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

    private Dictionary<string, string> Meta(INetwork network, long iteration) =>
        new CheckpointMetadata(network.SpecName, NetworkWeights.LayoutHash(network), ClassNames, trainingCrop,
            Extra: new Dictionary<string, string> { ["iteration"] = iteration.ToString(CultureInfo.InvariantCulture) }).ToDictionary();
}
