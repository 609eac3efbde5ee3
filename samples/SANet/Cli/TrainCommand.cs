using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Augment;
using NetSpec.Samples.SANet.Records;
using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

/// <summary><c>train</c>: resolves defaults (built-in data vs. disk datasets), then runs the <see cref="Trainer"/>.</summary>
public sealed class TrainCommand : Command<TrainSettings>
{
    public override int Execute(CommandContext context, TrainSettings settings, CancellationToken cancellationToken)
    {
        TrainOptions options = Resolve(settings, [.. context.Arguments]);
        if (Console.IsOutputRedirected)
        {
            new Trainer(options, new ConsoleReporter()).Run(cancellationToken);
            return 0;
        }

        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx => new Trainer(options, new ConsoleReporter(ctx.AddTask("train"))).Run(cancellationToken));
        return 0;
    }

    /// <param name="commandLine">The arguments as typed, for the run's config.yaml.</param>
    public static TrainOptions Resolve(TrainSettings s, IReadOnlyList<string>? commandLine = null)
    {
        var recipe = new RecipeOverrides(s.Set);
        OptionRules.Check(s, recipe);
        var (specName, specClass, specOrigin) = DatasetFactory.Spec(s.Spec);
        string kind = DatasetFactory.Kind(s);
        bool builtIn = kind == DatasetFactory.BuiltIn;
        if (s.Resume && s.Force)
            throw new UsageException("give --resume (continue the run) or --force (replace it with a fresh one), not both");

        var train = DatasetFactory.Open(kind, s.Data, train: true, s.Classes);
        int specClasses = DatasetFactory.SpecClasses(s.Spec, specName) ?? train.ClassNames.Count;
        string[]? names = s.ClassNames is null ? null : ClassNamesFile.Read(s.ClassNames, specClasses, $"spec {specName}");
        train = DatasetFactory.Rename(train, names, s.ClassNames);
        var val = DatasetFactory.Rename(DatasetFactory.Open(kind, s.Data, train: false, s.Classes), names, s.ClassNames);
        long valLimit = recipe.Long("val-limit", 0);
        if (valLimit > 0)
            val = new FirstImages(val, (int)Math.Min(valLimit, int.MaxValue));
        int epochs = s.Epochs ?? (kind == "context" ? 80 : 50);
        long iters = s.Iters ?? (builtIn && s.Epochs is null ? 1000 : (((long)epochs * train.Count) + s.Batch - 1) / s.Batch);
        int crop = s.Crop ?? (builtIn ? 96 : 480);
        double lr = s.Lr ?? (builtIn ? 0.02 : kind == "context" ? 0.001 : 0.0001);
        var augment = new AugmentOptions(crop, recipe.Double("scale-min", builtIn ? 0.75 : 0.5), recipe.Double("scale-max", builtIn ? 1.5 : 2.0), recipe.Bool("flip", true));
        OptionRules.Scales(augment.ScaleMin, augment.ScaleMax);

        return new TrainOptions(
            specName, specClass, specOrigin, train, val, kind, iters, s.Batch, augment, lr, s.Device,
            s.WorkDir ?? Path.Combine("work-dirs", specName), s.Resume, s.Seed, s.Pretrained,
            s.ValEvery, s.LogEvery, (int)recipe.Long("checkpoint-every", Math.Min(50, s.ValEvery)),
            recipe.Double("momentum", 0.9), recipe.Double("weight-decay", 1e-4), recipe.Double("power", 0.9),
            recipe.Long("stop-after", 0), s.Force, IterationsGiven: s.Iters is not null || s.Epochs is not null,
            Provenance: new RunProvenance(commandLine ?? [], s.Data, DatasetFactory.ClassNamesFrom(kind, s.Data, s.ClassNames), SpecHash.Of(s.Spec), specClasses));
    }
}
