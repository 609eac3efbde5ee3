using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Lines and tables through Spectre.Console, with progress bars (training, and each validation) when a progress
/// context is attached (a terminal); redirected, plain lines and a validation's progress as <see cref="ProgressLines"/>.
/// </summary>
public sealed class ConsoleReporter(ProgressContext? context = null, ProgressTask? task = null) : ITrainReporter
{
    /// <summary>A validation's progress lines when redirected: only for one that takes long enough to wonder.</summary>
    public const double ValidationLineSeconds = 10;

    private ProgressTask? validation;
    private ProgressLines? validationLines;

    /// <summary>The progress display of every command: description, bar, count, elapsed time, time left.</summary>
    public static Progress Progress(IAnsiConsole? console = null) => (console ?? AnsiConsole.Console).Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new CountColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());

    public void Line(string text)
    {
        if (task is null)
            Console.WriteLine(text);
        else
            Terminal.Write(new Text(text + "\n"));
    }

    public void Render(IRenderable table) => Terminal.Write(table);

    public void Progress(long done, long total)
    {
        if (task is null)
            return;
        task.MaxValue = total;
        task.Value = done;
    }

    public void ValidationProgress(int done, int total)
    {
        if (context is null)
        {
            validationLines ??= new ProgressLines("val", "image", total, ValidationLineSeconds);
            validationLines.Report(done, Line);
            if (done >= total)
                validationLines = null;
            return;
        }

        validation ??= context.AddTask("val", maxValue: total);
        validation.Value = done;
        if (done >= total)
        {
            context.RemoveTask(validation);
            validation = null;
        }
    }
}

/// <summary>Done/total of a task ("37/1449"), which a percentage alone hides.</summary>
public sealed class CountColumn : ProgressColumn
{
    protected override bool NoWrap => true;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text($"{task.Value:0}/{task.MaxValue:0}");
}
