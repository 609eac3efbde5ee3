using System.Diagnostics;
using System.Globalization;
using NetSpec.Runtime;
using NetSpec.Runtime.Training;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Networks;
using SeededRandom = NetSpec.Samples.SANet.Data.SeededRandom;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// The training loop (docs/sanet.md §7): per iteration a seeded batch, forward with losses, NaN check, backward,
/// SGD at the poly lr; a log line every LogEvery, validation every ValEvery, atomic checkpoints.
/// </summary>
public sealed class Trainer(TrainOptions options, ITrainReporter reporter)
{
    public TrainState Run(CancellationToken cancel)
    {
        using Device device = Device.Create(options.Device);
        MemoryBudget.Check(options.SpecName, device, options.Batch, options.Augment.Crop, training: true,
            $"--crop {options.Augment.Crop} --batch {options.Batch}");
        using INetwork network = NetworkRegistry.Create(options.SpecName, options.SpecClass, options.SpecOrigin, device);
        CheckClasses(network);
        var store = new CheckpointStore(options.WorkDir);
        using var sgd = new MomentumSgd(network, options.Momentum, options.WeightDecay);
        TrainState state = new RunStart(options, reporter).Begin(network, sgd, store);
        if (state.Iteration == state.MaxIterations)
            return state;
        var schedule = new PolySchedule((float)options.ScaledLr, state.MaxIterations, options.Power);
        var filler = new BatchFiller(options.Train, options.Augment, options.Batch, options.Seed);
        var clock = Stopwatch.StartNew();
        long first = state.Iteration;

        reporter.Line($"{network.SpecName} on {device.Name}; {options.Train.Description}; iterations {state.Iteration}→{state.MaxIterations}, batch {options.Batch}, crop {options.Augment.Crop}, lr {schedule.BaseLr:G3} (heads ×LrMult)");
        for (long it = state.Iteration; it < state.MaxIterations; it++)
        {
            FaultPoints.Reached($"iteration {it + 1}");
            network.Prepare(options.Batch, options.Augment.Crop, options.Augment.Crop, training: true);
            filler.Fill(network, it);
            network.StepSeed = new SeededRandom(options.Seed, 0xD20, (ulong)it).NextULong();
            network.Forward(training: true);
            LossValues losses = network.ReadLosses();
            LossGuard.Check(losses, it + 1, File.Exists(store.LastWeights) ? store.LastWeights : $"{store.LastState} (iteration 0)");
            network.Backward();
            double lr = schedule.At(it);
            sgd.Step(lr);

            long done = it + 1;
            state = state with { Iteration = done };
            reporter.Progress(done, state.MaxIterations);
            if (done % options.LogEvery == 0 || done == state.MaxIterations)
                reporter.Line(LogLine(network, losses, lr, done, state.MaxIterations, clock.Elapsed, done - first));
            if (done % options.ValEvery == 0 || done == state.MaxIterations)
                state = Validate(network, store, state);
            bool stopping = cancel.IsCancellationRequested || done == options.StopAfter;
            if (done % options.CheckpointEvery == 0 || done == state.MaxIterations || done % options.ValEvery == 0 || stopping)
                store.SaveLast(network, sgd, state);
            if (stopping)
            {
                reporter.Line($"stopped after iteration {done}; continue with --resume --work-dir {options.WorkDir}");
                break;
            }
        }

        return state;
    }

    private TrainState Validate(INetwork network, CheckpointStore store, TrainState state)
    {
        var predictor = new Predictor(network, EvalOptions.SingleScale(options.Augment.Crop));
        SegmentationMetrics metrics = DatasetEvaluator.Run(predictor, options.Val, reporter.ValidationProgress).Metrics();
        reporter.Line($"val @ {state.Iteration}: {ValidationReport.Summary(metrics, options.IsContext)}");
        reporter.Render(ValidationReport.ClassTable(metrics, options.Val.ClassNames));
        if (metrics.MeanIou <= state.BestMiou)
            return state;
        store.SaveBest(network, state.Iteration, metrics.MeanIou);
        return state with { BestMiou = metrics.MeanIou, BestIteration = state.Iteration };
    }

    private void CheckClasses(INetwork network)
    {
        if (network.NumClasses != options.Train.ClassNames.Count)
        {
            throw new DataException(
                $"{options.SpecOrigin}: spec {network.SpecName} predicts {network.NumClasses} classes but {options.Train.Description} has {options.Train.ClassNames.Count}; set the spec's classes and rebuild");
        }
    }

    /// <summary>
    /// Hours:minutes:seconds with the hours counted on past a day (TimeSpan's "hh" wraps at 24 h), and capped at a
    /// million hours (--iters may be up to 2^63, past what a TimeSpan holds).
    /// </summary>
    public static string Eta(double seconds)
    {
        const double Cap = 1e6 * 3600;
        if (!(seconds < Cap))
            return ">1000000:00:00";
        long s = (long)Math.Max(0, seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{s / 3600:00}:{s / 60 % 60:00}:{s % 60:00}");
    }

    private static string LogLine(INetwork network, LossValues losses, double lr, long done, long max, TimeSpan elapsed, long doneHere)
    {
        double perIter = elapsed.TotalSeconds / Math.Max(1, doneHere);
        double eta = perIter * (max - done);
        string terms = string.Join("  ", losses.Terms.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value:F4}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"iter {done}/{max}  lr {lr:E2}  eta {Eta(eta)}  {perIter:F2}s/it  mem plan {network.PlannedPeakBytes / 1048576.0:F0}MiB proc {Environment.WorkingSet / 1048576.0:F0}MiB  loss {losses.Total:F4}  {terms}");
    }
}
