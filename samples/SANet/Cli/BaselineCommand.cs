using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// <c>baseline</c>: the colour-lookup rule fitted on train, scored on val (how much colour alone explains). It runs no
/// network, so it takes the dataset options alone: --spec and --device are refused as unknown options.
/// </summary>
public sealed class BaselineCommand : Command<DatasetSettings>
{
    public override int Execute(CommandContext context, DatasetSettings settings, CancellationToken cancellationToken)
    {
        OptionRules.Check(settings);
        var train = DatasetFactory.Open(settings, train: true);
        string[]? names = settings.ClassNames is null ? null : Data.ClassNamesFile.Read(settings.ClassNames, train.ClassNames.Count, train.Description);
        train = DatasetFactory.Rename(train, names, settings.ClassNames);
        var val = DatasetFactory.Rename(DatasetFactory.Open(settings, train: false), names, settings.ClassNames);
        int k = train.ClassNames.Count;
        var metrics = ColourBaseline.Fit(train, k).Evaluate(val, k).Metrics();
        Console.WriteLine($"colour baseline ({ColourBaseline.Bits} bits/channel lookup, fitted on {train.Description}) on {val.Description}");
        Terminal.Write(ValidationReport.ClassTable(metrics, val.ClassNames));
        Console.WriteLine(ValidationReport.Summary(metrics, DatasetFactory.Kind(settings) == "context"));
        return 0;
    }
}
