using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Training;

/// <summary>The reporter of ranks other than 0: rank 0 logs for the whole run.</summary>
public sealed class QuietReporter : ITrainReporter
{
    public static readonly QuietReporter Instance = new();

    public void Line(string text) { }

    public void Render(IRenderable table) { }

    public void Progress(long done, long total) { }
}
