using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.SANet.Tests.Checkpoints;

public class TrainStateTests
{
    private static readonly TrainRecipe Recipe = new("sanet-tiny", "builtin", 8, 96, 0.02, 0.9, 1e-4, 0.9, 0.75, 1.5, true, 1);

    [Fact]
    public void RoundTripKeepsEveryValueEvenNaN()
    {
        var state = new TrainState(Recipe with { Lr = double.NaN }, 3, 10, 0.25, 2);
        Assert.Equal(state, TrainState.FromJson(state.ToJson(), "x"));
    }

    [Theory]
    [InlineData("{", "x: train_state is not valid")]
    [InlineData("{\"Iteration\":1,\"MaxIterations\":2}", "x: train_state has no recipe")]
    [InlineData("{\"Recipe\":{\"Spec\":\"s\",\"Dataset\":\"d\",\"Batch\":1,\"Crop\":1},\"Iteration\":3,\"MaxIterations\":2}", "x: train_state is inconsistent (iteration 3 of 2, batch 1, crop 1)")]
    [InlineData("{\"Recipe\":{\"Spec\":\"s\",\"Dataset\":\"d\",\"Batch\":0,\"Crop\":1},\"Iteration\":0,\"MaxIterations\":2}", "x: train_state is inconsistent (iteration 0 of 2, batch 0, crop 1)")]
    [InlineData("{\"Recipe\":{\"Spec\":\"s\",\"Dataset\":\"d\",\"Batch\":1,\"Crop\":1},\"Iteration\":99999999999999999999,\"MaxIterations\":2}", "x: train_state is not valid")]
    public void BadStateIsACheckpointError(string json, string expected)
    {
        var e = Assert.Throws<CheckpointException>(() => TrainState.FromJson(json, "x"));
        Assert.StartsWith(expected, e.Message);
    }
}
