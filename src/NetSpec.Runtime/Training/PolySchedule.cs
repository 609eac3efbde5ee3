namespace NetSpec.Runtime.Training;

/// <summary>Poly learning-rate decay, updated every iteration: lr = base · (1 − iter/max)^power (power 0.9).</summary>
public sealed record PolySchedule(float BaseLr, long MaxIterations, double Power = 0.9)
{
    public float At(long iteration)
    {
        if (MaxIterations <= 0)
            throw new ArgumentException($"max iterations must be positive, got {MaxIterations}");
        if (iteration < 0 || iteration > MaxIterations)
            throw new ArgumentOutOfRangeException(nameof(iteration), $"iteration {iteration} is outside [0, {MaxIterations}]");
        return (float)(BaseLr * Math.Pow(1.0 - ((double)iteration / MaxIterations), Power));
    }
}
