namespace NetSpec.Samples.SANet.Training;

/// <summary>Poly learning rate, updated every iteration: base·(1 − iteration/max)^power (SANET.md §7).</summary>
public sealed record PolySchedule(double BaseLr, long MaxIterations, double Power = 0.9)
{
    public double At(long iteration) =>
        BaseLr * Math.Pow(Math.Max(0.0, 1.0 - ((double)iteration / MaxIterations)), Power);
}
