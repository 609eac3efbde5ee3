using System.Globalization;
using NetSpec.Runtime.Distributed;
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
        using ICommunicator comm = OpenCommunicator();
        // every rank resolves the options; a rank that cannot stops them all, and rank 0 reports what they all met
        var (options, defaults) = RankAgreement.Run(comm, () => Resolve(settings, [.. context.Arguments]));
        if (comm.Rank != 0)
        {
            new Trainer(options, QuietReporter.Instance, comm).Run(cancellationToken);
            return 0;
        }

        Run(options, defaults, cancellationToken, comm);
        return 0;
    }

    /// <summary>The ranks of this run: Open MPI's under mpirun -np N > 1, else one process (docs/distributed.md).</summary>
    private static ICommunicator OpenCommunicator() => Communicators.FromEnvironment();

    /// <summary>The run (rank 0's, or the only one), with a progress bar on a terminal; <paramref name="defaults"/> is its first line.</summary>
    public static void Run(TrainOptions options, string? defaults, CancellationToken cancel, ICommunicator? comm = null)
    {
        comm ??= SingleProcess.Instance;
        if (Console.IsOutputRedirected)
        {
            var reporter = new ConsoleReporter();
            if (defaults is not null)
                reporter.Line(defaults);
            new Trainer(options, reporter, comm).Run(cancel);
            return;
        }

        ConsoleReporter.Progress().Start(ctx =>
        {
            var reporter = new ConsoleReporter(ctx, ctx.AddTask("train"));
            if (defaults is not null)
                reporter.Line(defaults);
            new Trainer(options, reporter, comm).Run(cancel);
        });
    }

    /// <summary>
    /// The run's options after defaults, and the line that says which defaults were taken (per dataset: spec, lr,
    /// length, crop, scales), or null when every one was given or the run is resumed (its recipe is the recorded one).
    /// </summary>
    /// <param name="commandLine">The arguments as typed, for the run's config.yaml.</param>
    public static (TrainOptions Options, string? Defaults) Resolve(TrainSettings s, IReadOnlyList<string>? commandLine = null)
    {
        var recipe = new RecipeOverrides(s.Set);
        OptionRules.Check(s, recipe);
        string kind = DatasetFactory.Kind(s);
        bool builtIn = kind == DatasetFactory.BuiltIn;
        if (s.Resume && s.Force)
            throw new UsageException("give --resume (continue the run) or --force (replace it with a fresh one), not both");

        var train = DatasetFactory.Open(kind, s.Data, train: true, s.Classes);
        ResolvedSpec spec = DatasetFactory.Spec(s.Spec, train);
        string[]? names = s.ClassNames is null ? null : ClassNamesFile.Read(s.ClassNames, spec.NumClasses, $"spec {spec.Name}");
        train = DatasetFactory.Rename(train, names, s.ClassNames);
        var val = DatasetFactory.Rename(DatasetFactory.Open(kind, s.Data, train: false, s.Classes), names, s.ClassNames);
        long valLimit = recipe.Long("val-limit", 0);
        if (valLimit > 0)
            val = new FirstImages(val, (int)Math.Min(valLimit, int.MaxValue));
        int epochs = s.Epochs ?? DefaultEpochs(kind);
        long iters = s.Iters ?? (builtIn && s.Epochs is null ? 1000 : (((long)epochs * train.Count) + s.Batch - 1) / s.Batch);
        int crop = s.Crop ?? (builtIn ? 96 : 480);
        double lr = s.Lr ?? DefaultLr(kind);
        var augment = new AugmentOptions(crop, recipe.Double("scale-min", builtIn ? 0.75 : 0.5), recipe.Double("scale-max", builtIn ? 1.5 : 2.0), recipe.Bool("flip", true));
        OptionRules.Scales(augment.ScaleMin, augment.ScaleMax);

        var options = new TrainOptions(
            spec.Name, spec.ClassName, spec.Origin, train, val, kind, iters, s.Batch, augment, lr, s.Device,
            s.WorkDir ?? Path.Combine("work-dirs", spec.Name), s.Resume, s.Seed, s.Pretrained,
            s.ValEvery, s.LogEvery, (int)recipe.Long("checkpoint-every", Math.Min(50, s.ValEvery)),
            recipe.Double("momentum", 0.9), recipe.Double("weight-decay", 1e-4), recipe.Double("power", 0.9),
            recipe.Long("stop-after", 0), s.Force, IterationsGiven: s.Iters is not null || s.Epochs is not null,
            Provenance: new RunProvenance(commandLine ?? [], s.Data, DatasetFactory.ClassNamesFrom(kind, s.Data, s.ClassNames), SpecHash.Of(s.Spec, spec.Name), spec.NumClasses),
            Verbose: s.Verbose);

        var taken = new List<string>();
        if (spec.IsDefault)
            taken.Add($"spec {spec.Name} ({Counted.Of(spec.NumClasses, "class", "classes")})");
        if (s.Lr is null)
            taken.Add($"base lr {Number(lr)} (scaled by batch/16)");
        if (s.Iters is null && s.Epochs is null)
            taken.Add(builtIn ? Counted.Of(iters, "iteration") : $"{Counted.Of(epochs, "epoch")} = {Counted.Of(iters, "iteration")}");
        if (s.Crop is null)
            taken.Add($"crop {crop}");
        if (!recipe.Has("scale-min") || !recipe.Has("scale-max"))
            taken.Add($"scale {Number(augment.ScaleMin)}–{Number(augment.ScaleMax)}");
        string? defaults = s.Resume || taken.Count == 0
            ? null
            : $"defaults for {(builtIn ? "the built-in data" : $"--dataset {kind}")}: {string.Join(", ", taken)}";
        return (options, defaults);
    }

    /// <summary>The base lr per dataset, as train --help states it.</summary>
    public static double DefaultLr(string kind) => kind == DatasetFactory.BuiltIn ? 0.02 : kind == "context" ? 0.001 : 0.0001;

    public static int DefaultEpochs(string kind) => kind == "context" ? 80 : 50;

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);
}
