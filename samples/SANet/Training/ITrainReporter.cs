using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Training;

/// <summary>Where a run reports: a progress bar on a terminal, plain lines when output is redirected.</summary>
public interface ITrainReporter
{
    void Line(string text);

    void Render(IRenderable table);

    void Progress(long done, long total);
}
