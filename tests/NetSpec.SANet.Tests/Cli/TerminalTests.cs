using NetSpec.Samples.SANet.Cli;
using NetSpec.SANet.Tests.Doubles;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>What a terminal shows while a progress bar is live, and progress as lines when output is redirected.</summary>
public class TerminalTests
{
    private const int Narrow = 40;

    private const string LogLine = "iter 5/20  lr 2.05E-003  eta 00:00:16  1.12s/it  mem plan 9MiB proc 106MiB  loss 4.6584  mask 2.3329";

    /// <summary>A log line that wraps, then a short line, written above a live bar as the train command writes them.</summary>
    private static IReadOnlyList<string> Screen(Action<IAnsiConsole, IRenderable> write)
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = Narrow;
        console.Profile.Height = 24;
        console.Profile.Capabilities.Unicode = true;
        ConsoleReporter.Progress(console).AutoRefresh(false).Start(ctx =>
        {
            ProgressTask task = ctx.AddTask("train", maxValue: 20);
            task.Value = 5;
            ctx.Refresh();
            write(console, new Text(LogLine + "\n"));
            task.Value = 10;
            ctx.Refresh();
            write(console, new Text("val @ 10\n"));
            ctx.Refresh();
        });
        return VirtualTerminal.Screen(output.ToString(), Narrow);
    }

    [Fact]
    public void LinesAboveTheProgressBarInANarrowTerminalKeepNoneOfTheBar()
    {
        IReadOnlyList<string> screen = Screen(Terminal.Write);
        int val = screen.ToList().IndexOf("val @ 10");
        Assert.True(val > 0, string.Join("\n", screen));
        string logText = string.Join(" ", screen.Take(val));
        Assert.False(logText.Contains('━', StringComparison.Ordinal), string.Join("\n", screen));
        Assert.DoesNotContain("%", logText);
        Assert.Equal(LogLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), logText.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(screen.Skip(val + 1), l => l.StartsWith("train", StringComparison.Ordinal) && l.Contains("10/20", StringComparison.Ordinal));
    }

    /// <summary>Why <see cref="ErasingLineEnds"/> exists: Spectre alone leaves the bar's characters after a shorter line.</summary>
    [Fact]
    public void WithoutErasingTheBarShowsThroughShorterLines()
    {
        IReadOnlyList<string> screen = Screen((console, widget) => console.Write(widget));
        string[] logWords = string.Join(" ", screen.TakeWhile(l => !l.StartsWith("val @ 10", StringComparison.Ordinal))).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEqual(LogLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), logWords);
    }

    [Fact]
    public void ALineAsWideAsTheTerminalKeepsItsLastCharacter()
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 10;
        Terminal.Write(console, new Text("0123456789\nabc\n"));
        Assert.Equal(["0123456789", "abc"], VirtualTerminal.Screen(output.ToString(), 10).Where(l => l.Length > 0));
    }

    [Fact]
    public void ProgressLinesComeEachTenthWithRateAndTimeLeft()
    {
        var lines = new List<string>();
        var progress = new ProgressLines("eval", "image", 20);
        for (int done = 1; done <= 20; done++)
            progress.Report(done, lines.Add);
        Assert.Equal(10, lines.Count);
        Assert.All(lines[..^1], l => Assert.Matches(@"^eval \d+/20 images  \d+\.\d\d s/image  eta \d\d:\d\d:\d\d$", l));
        Assert.Matches(@"^eval 20/20 images  \d+\.\d\d s/image  took \d\d:\d\d:\d\d$", lines[^1]);
        Assert.StartsWith("eval 2/20 ", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void QuickWorkPrintsNoProgressLinesWhenAMinimumIntervalIsSet()
    {
        var lines = new List<string>();
        var progress = new ProgressLines("val", "image", 5, minSeconds: 60);
        for (int done = 1; done <= 5; done++)
            progress.Report(done, lines.Add);
        Assert.Empty(lines);
    }

    [Fact]
    public void OneImageIsSingular() =>
        Assert.Equal("eval 1/1 image  2.00 s/image  took 00:00:02", new ProgressLines("eval", "image", 1).Line(1, 2));
}
