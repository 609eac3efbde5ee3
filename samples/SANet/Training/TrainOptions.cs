using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Augment;
using NetSpec.Samples.SANet.Records;

namespace NetSpec.Samples.SANet.Training;

/// <summary>Everything a training run is decided by (after the CLI has resolved defaults).</summary>
public sealed record TrainOptions(
    string SpecName,
    string? SpecClass,
    string SpecOrigin,
    ISegmentationDataset Train,
    ISegmentationDataset Val,
    string DatasetName,
    long MaxIterations,
    int Batch,
    AugmentOptions Augment,
    double BaseLr,
    string Device,
    string WorkDir,
    bool Resume,
    ulong Seed,
    string? Pretrained,
    int ValEvery,
    int LogEvery,
    int CheckpointEvery,
    double Momentum = 0.9,
    double WeightDecay = 1e-4,
    double Power = 0.9,
    long StopAfter = 0,
    bool Force = false,
    bool IterationsGiven = false,
    RunProvenance? Provenance = null,
    bool Verbose = false)
{
    /// <summary>lr = base × batch / 16 (docs/sanet.md §7); the head's 10× comes from each parameter's LrMult.</summary>
    public double ScaledLr => BaseLr * Batch / 16.0;

    public bool IsContext => DatasetName == "context";

    /// <summary>The settings that decide the weights, as a resumed run must match them.</summary>
    public TrainRecipe Recipe(string spec) => new(
        spec, DatasetName, Batch, Augment.Crop, BaseLr, Momentum, WeightDecay, Power, Augment.ScaleMin, Augment.ScaleMax, Augment.Flip, Seed);
}
