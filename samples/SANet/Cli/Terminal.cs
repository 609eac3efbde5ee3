using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Renders Spectre widgets to the current <see cref="Console.Out"/>: the shared ANSI console on a terminal,
/// a plain one (no colours, no live widgets, no wrapping: a table is as wide as its rows) when output is redirected
/// to a file or pipe.
/// </summary>
public static class Terminal
{
    /// <summary>The width of redirected output: wide enough that no table of the sample wraps.</summary>
    public const int RedirectedWidth = 4096;

    public static void Write(IRenderable widget)
    {
        if (!Console.IsOutputRedirected)
        {
            Write(AnsiConsole.Console, widget);
            return;
        }

        IAnsiConsole plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        plain.Profile.Width = RedirectedWidth;
        plain.Write(new TrimmedLineEnds(widget));
    }

    /// <summary>A widget to a terminal's console, where a progress display may be live (see <see cref="ErasingLineEnds"/>).</summary>
    public static void Write(IAnsiConsole terminal, IRenderable widget) => terminal.Write(new ErasingLineEnds(widget));
}

/// <summary>
/// Ends each line shorter than the console with "erase to the end of the line" (CSI K). Spectre writes lines above a
/// live progress display from the display's first row without clearing it, so a line shorter than the bar beneath
/// (a wrapped log line's tail in a narrow terminal, a table row) kept the bar's characters after its own.
/// A line as wide as the console gets none: there the cursor waits on the last column, which CSI K would erase.
/// </summary>
public sealed class ErasingLineEnds(IRenderable inner) : IRenderable
{
    private static readonly Segment EraseToEnd = Segment.Control("\u001b[K");

    public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        int width = 0;
        foreach (Segment segment in inner.Render(options, maxWidth))
        {
            if (segment.IsLineBreak || segment.Text is "\n" or "\r\n")
            {
                if (width < maxWidth)
                    yield return EraseToEnd;
                width = 0;
            }
            else
            {
                width += segment.CellCount();
            }

            yield return segment;
        }

        if (width > 0 && width < maxWidth)
            yield return EraseToEnd;
    }
}

/// <summary>Leaves out the spaces that pad a table's lines to its width, so redirected output has no trailing blanks.</summary>
public sealed class TrimmedLineEnds(IRenderable inner) : IRenderable
{
    public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        var pending = new List<Segment>();
        foreach (Segment segment in inner.Render(options, maxWidth))
        {
            if (segment.IsLineBreak || segment.Text is "\n" or "\r\n")
            {
                pending.Clear();
                yield return segment;
            }
            else if (!segment.IsControlCode && segment.Text.Trim().Length == 0)
            {
                pending.Add(segment);
            }
            else
            {
                foreach (Segment blank in pending)
                    yield return blank;
                pending.Clear();
                yield return segment;
            }
        }
    }
}
