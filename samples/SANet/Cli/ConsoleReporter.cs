using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>Lines and tables through Spectre.Console; a progress task when one is attached (terminal only).</summary>
public sealed class ConsoleReporter(ProgressTask? task = null) : ITrainReporter
{
    public void Line(string text)
    {
        if (task is null)
            Console.WriteLine(text);
        else
            AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    public void Render(IRenderable table) => Terminal.Write(table);

    public void Progress(long done, long total)
    {
        if (task is null)
            return;
        task.MaxValue = total;
        task.Value = done;
    }
}
