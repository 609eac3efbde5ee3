using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Training;

/// <summary>Where a run reports: a progress bar on a terminal, plain lines when output is redirected.</summary>
public interface ITrainReporter
{
    void Line(string text);

    void Render(IRenderable table);

    void Progress(long done, long total);

    /// <summary>The global batch's losses of each finished iteration (rank 0); for tests and tools, nothing by default.</summary>
    void Losses(long iteration, NetSpec.Runtime.LossValues losses)
    {
    }

    /// <summary>A validation has predicted <paramref name="done"/> of its <paramref name="total"/> images.</summary>
    void ValidationProgress(int done, int total)
    {
    }
}
