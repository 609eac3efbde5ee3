using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Spectre's help, except at the root: train runs when no command is given, and Spectre would list train's
/// options there as if every command took them. The root lists the commands and --help alone, and says where
/// each command's options are.
/// </summary>
public sealed class SanetHelp(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetUsage(ICommandModel model, ICommandInfo? command) =>
        IsRoot(command)
            ? [new Text($"USAGE:\n    {model.ApplicationName} [COMMAND] [OPTIONS]\n\n    With no command, {model.ApplicationName} runs train.\n")]
            : base.GetUsage(model, command);

    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command) =>
        base.GetOptions(model, IsRoot(command) ? null : command);

    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command) =>
        IsRoot(command)
            ? [new Text($"\nEach command's options: {model.ApplicationName} COMMAND --help (e.g. {model.ApplicationName} train --help).\n")]
            : base.GetFooter(model, command);

    private static bool IsRoot(ICommandInfo? command) => command is null || (command.IsDefaultCommand && command.Parent is null);
}
