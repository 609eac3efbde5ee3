using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// How a training run begins in its work dir: fresh (never over another run's files without --force) or resumed
/// from the state file under the recorded recipe (SANet README, "Checkpoints").
/// </summary>
public sealed class RunStart(TrainOptions options, ITrainReporter reporter)
{
    /// <summary>
    /// A fresh run (the work dir holds none of the run's files, or --force replaces them), or the recorded run
    /// resumed from its state file. Nothing is written before the work dir has been checked, and a fresh run's
    /// first write is its state file (iteration 0), so a kill at any later instant leaves a resumable run.
    /// </summary>
    public TrainState Begin(INetwork network, MomentumSgd sgd, CheckpointStore store)
    {
        WorkDir.RefuseFile(store.WorkDir);
        TrainRecipe recipe = options.Recipe(network.SpecName);
        if (options.Resume && store.HasState)
            return Resume(network, sgd, store, recipe);

        List<string> existing = store.ExistingFiles();
        string names = string.Join(", ", existing.Select(Path.GetFileName));
        if (existing.Count > 0 && options.Resume)
        {
            throw new CheckpointException(
                $"{store.LastState}: not found, so there is no run to resume, yet {store.WorkDir} holds {names}; pass --force (without --resume) to start a fresh run replacing them, or choose another --work-dir");
        }

        if (existing.Count > 0 && !options.Force)
        {
            throw new CheckpointException(
                $"{store.WorkDir}: already holds a run ({names}); pass --resume to continue it, --force to start a fresh run replacing it, or choose another --work-dir");
        }

        // the weights first: a --pretrained file that cannot be used refuses the start before anything in the work dir
        // is written or, with --force, deleted
        network.InitializeParameters(options.Seed);
        if (options.Pretrained is not null)
        {
            PretrainedReport loaded = PretrainedBackbone.Load(network, options.Pretrained);
            reporter.Line($"pretrained {options.Pretrained} ({loaded.Detected}): loaded {loaded.Loaded}; " +
                $"missing {KeySummary.Of(loaded.Missing, options.Verbose)}; unexpected {KeySummary.Of(loaded.Unexpected, options.Verbose)}");
        }

        ReportStale(WorkDir.PrepareForWriting(store.WorkDir));
        if (existing.Count > 0)
        {
            store.DeleteRun();
            reporter.Line($"--force: a fresh run replaces {names} in {store.WorkDir}");
        }
        else if (options.Resume)
        {
            reporter.Line($"no checkpoint in {store.WorkDir}: starting a new run");
        }

        var state = new TrainState(recipe, 0, options.MaxIterations, -1, 0);
        store.SaveState(network, sgd, state);
        return state;
    }

    /// <summary>
    /// Loads the state file; the recipe must match the recorded one. An explicit --iters other than the recorded
    /// total changes the total (the poly schedule follows it), but never to or below the iteration reached.
    /// A finished run is left untouched (nothing is written).
    /// </summary>
    private TrainState Resume(INetwork network, MomentumSgd sgd, CheckpointStore store, TrainRecipe recipe)
    {
        TrainState state = store.LoadLast(network, sgd);
        List<string> differences = recipe.DifferencesFrom(state.Recipe);
        if (differences.Count > 0)
        {
            throw new CheckpointException(
                $"{store.LastState}: cannot resume with {string.Join("; ", differences)}; give the recorded values, or start a new run with --force or another --work-dir");
        }

        long total = options.IterationsGiven ? options.MaxIterations : state.MaxIterations;
        if (total != state.MaxIterations && total <= state.Iteration)
        {
            throw new CheckpointException(
                $"--iters {total}: the run in {store.WorkDir} is already at iteration {state.Iteration} of {state.MaxIterations}; give more than {state.Iteration}");
        }

        if (state.Iteration == total)
        {
            reporter.Line($"{store.WorkDir}: the run finished at iteration {total} of {total}; to train further pass --resume --iters N with N > {total}");
            return state;
        }

        if (options.Pretrained is not null)
            reporter.Line($"--pretrained {options.Pretrained} is not used: a resumed run takes its weights from {store.LastState}");
        ReportStale(WorkDir.PrepareForWriting(store.WorkDir));
        if (store.ReadBest() is { } best && best.Miou > state.BestMiou)
            state = state with { BestMiou = best.Miou, BestIteration = best.Iteration };
        if (total != state.MaxIterations)
        {
            reporter.Line($"{(total > state.MaxIterations ? "extending" : "shortening")} the run from {state.MaxIterations} to {Counted.Of(total, "iteration")}; the poly lr schedule is recomputed over {total}");
            state = state with { MaxIterations = total };
        }

        reporter.Line($"resumed from {store.LastState} at iteration {state.Iteration} of {state.MaxIterations}");
        return state;
    }

    private void ReportStale(List<string> removed)
    {
        if (removed.Count > 0)
            reporter.Line($"removed {removed.Count} temporary file(s) left by an interrupted save: {string.Join(", ", removed)}");
    }
}
