using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetSpec.Runtime.Weights;

namespace NetSpec.Samples.SANet.Checkpoints;

/// <summary>
/// What a resumed run needs beside the weights and momentum: where it stopped, the total it runs to, the recipe
/// that decides its weights, and the best validation so far. Saved as JSON in the checkpoint's metadata.
/// </summary>
public sealed record TrainState(TrainRecipe Recipe, long Iteration, long MaxIterations, double BestMiou, long BestIteration)
{
    /// <summary>NaN or ∞ in a recipe value is written as a string rather than failing the save.</summary>
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses and checks a recorded state (it comes from a file: untrusted).</summary>
    public static TrainState FromJson(string json, string path)
    {
        TrainState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainState>(json, Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path}: train_state is not valid ({e.Message})");
        }

        if (state?.Recipe?.Spec is null || state.Recipe.Dataset is null)
            throw new CheckpointException($"{path}: train_state has no recipe (written by an older version of the sample?); start a new run with --force");
        if (state.MaxIterations <= 0 || state.Iteration < 0 || state.Iteration > state.MaxIterations || state.Recipe.Batch <= 0 || state.Recipe.Crop <= 0)
        {
            throw new CheckpointException(
                $"{path}: train_state is inconsistent (iteration {state.Iteration} of {state.MaxIterations}, batch {state.Recipe.Batch}, crop {state.Recipe.Crop})");
        }

        return state;
    }
}

/// <summary>The settings that decide a run's weights; a resumed run must use the very same.</summary>
public sealed record TrainRecipe(
    string Spec, string Dataset, int Batch, int Crop, double Lr, double Momentum, double WeightDecay, double Power,
    double ScaleMin, double ScaleMax, bool Flip, ulong Seed)
{
    /// <summary>One "option now vs. recorded" phrase per setting that differs from <paramref name="recorded"/>.</summary>
    public List<string> DifferencesFrom(TrainRecipe recorded)
    {
        var differences = new List<string>();
        void Compare(string option, object now, object then)
        {
            if (!now.Equals(then))
                differences.Add($"{option}{(option.EndsWith('=') ? "" : " ")}{Text(now)} (the run was recorded with {Text(then)})");
        }

        Compare("--spec", Spec, recorded.Spec);
        Compare("--dataset", Dataset, recorded.Dataset);
        Compare("--batch", Batch, recorded.Batch);
        Compare("--crop", Crop, recorded.Crop);
        Compare("--lr", Lr, recorded.Lr);
        Compare("--set momentum=", Momentum, recorded.Momentum);
        Compare("--set weight-decay=", WeightDecay, recorded.WeightDecay);
        Compare("--set power=", Power, recorded.Power);
        Compare("--set scale-min=", ScaleMin, recorded.ScaleMin);
        Compare("--set scale-max=", ScaleMax, recorded.ScaleMax);
        Compare("--set flip=", Flip, recorded.Flip);
        Compare("--seed", Seed, recorded.Seed);
        return differences;
    }

    private static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
