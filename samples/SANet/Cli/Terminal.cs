using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Renders Spectre widgets to the current <see cref="Console.Out"/>: the shared ANSI console on a terminal,
/// a plain one (no colours, no live widgets) when output is redirected to a file or pipe.
/// </summary>
public static class Terminal
{
    public static void Write(IRenderable widget)
    {
        if (!Console.IsOutputRedirected)
        {
            AnsiConsole.Write(widget);
            return;
        }

        IAnsiConsole plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        plain.Write(widget);
    }
}
