using NetSpec.Runtime;

namespace NetSpec.Samples.SANet.Training;

/// <summary>Stops a run at the first NaN/Inf loss, naming the iteration and the term.</summary>
public static class LossGuard
{
    public static void Check(LossValues losses, long iteration, string lastCheckpoint)
    {
        foreach (var (term, value) in losses.Terms)
            Fail(term, value, iteration, lastCheckpoint);
        Fail("total", losses.Total, iteration, lastCheckpoint);
    }

    private static void Fail(string term, float value, long iteration, string lastCheckpoint)
    {
        if (float.IsFinite(value))
            return;
        throw new TrainingDivergedException(
            $"iteration {iteration}: loss '{term}' is {value}; training stopped (lower --lr?). Last good checkpoint: {lastCheckpoint}");
    }
}
