using System.Text.Json;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// What a resumed run needs beside the weights: where it stopped, the schedule it was on, the seed every
/// random choice derives from, and the best validation so far. Saved as JSON in the sidecar's metadata.
/// </summary>
public sealed record TrainState(
    string Spec,
    string Dataset,
    long Iteration,
    long MaxIterations,
    double BaseLr,
    double Power,
    int Batch,
    int Crop,
    ulong Seed,
    double BestMiou,
    long BestIteration)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static TrainState FromJson(string json, string path) =>
        JsonSerializer.Deserialize<TrainState>(json) ?? throw new CheckpointException($"{path}: empty training state");
}
