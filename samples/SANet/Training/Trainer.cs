using System.Diagnostics;
using System.Globalization;
using NetSpec.Runtime;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Training;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Cli;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Records;
using SeededRandom = NetSpec.Samples.SANet.Data.SeededRandom;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// The training loop (docs/sanet.md §7): per iteration a seeded batch, forward with losses, NaN check, backward,
/// SGD at the poly lr; a log line every LogEvery, validation every ValEvery, atomic checkpoints. With a communicator
/// of several ranks (docs/distributed.md, "Training"), each rank trains its shard of every global batch with SyncBN,
/// gradients are averaged over the ranks before each step, and only rank 0 validates, logs and writes the work dir.
/// </summary>
public sealed class Trainer(TrainOptions options, ITrainReporter reporter, ICommunicator comm)
{
    public Trainer(TrainOptions options, ITrainReporter reporter)
        : this(options, reporter, SingleProcess.Instance)
    {
    }

    public TrainState Run(CancellationToken cancel)
    {
        bool parallel = comm.Size > 1;
        int local = RankAgreement.Run(comm, () =>
        {
            if (parallel)
                SameSettings.Check(comm, options);
            return ShardSize();
        });
        // a rank whose device or network failed stops every rank (what opened here is dropped with the process)
        (Device device, INetwork network) = RankAgreement.Run(comm, () => Open(local));
        using (device)
        using (network)
        {
            device.Communicator = comm;
            device.BatchOffset = (long)comm.Rank * local;
            var store = new CheckpointStore(options.WorkDir, options.Augment.Crop) { ClassNames = options.Train.ClassNames };
            using var sgd = new MomentumSgd(network, options.Momentum, options.WeightDecay);
            if (parallel)
                RankAgreement.Run(comm, () => SharedWorkDir.Check(comm, options.WorkDir));
            // rank 0 writes the work dir, so it alone holds the lock, from before it writes a run's file to the run's end
            // (the shared-folder check before writes only its own token, and removes a folder it made for it)
            using WorkDirLock? held = RankAgreement.Run(comm, () => comm.Rank == 0 ? WorkDirLock.Acquire(options.WorkDir) : null);
            TrainState? begun;
            try
            {
                begun = RankAgreement.Run(comm, () => comm.Rank == 0 ? new RunStart(options, reporter).Begin(network, sgd, store) : null);
            }
            catch
            {
                held?.ReleaseRefused(); // a refused start leaves no folder it made (nothing of the run was written)
                throw;
            }

            TrainState state = parallel ? StartBroadcast.Share(comm, network, sgd, begun) : begun!;
            if (state.Iteration == state.MaxIterations)
                return state;
            RunRecord? record = RankAgreement.Run(comm, () => comm.Rank == 0 ? RunRecord.Open(options, network, device.Name, state, reporter) : null);
            try
            {
                return Loop(device, network, store, sgd, state, local, record, cancel);
            }
            catch (Exception e) when (parallel && e is not (RankStoppedException or TrainingDivergedException))
            {
                // this rank alone failed (data it cannot read, a full disk on rank 0): the others must not wait for it
                Console.Error.WriteLine($"error: rank {comm.Rank}: {e.Message}");
                comm.Abort(3);
                throw;
            }
        }
    }

    private TrainState Loop(Device device, INetwork network, CheckpointStore store, MomentumSgd sgd, TrainState state, int local, RunRecord? record, CancellationToken cancel)
    {
        bool parallel = comm.Size > 1;
        var schedule = new PolySchedule((float)options.ScaledLr, state.MaxIterations, options.Power);
        var filler = new BatchFiller(options.Train, options.Augment, options.Batch, options.Seed, comm.Rank * local, local);
        GradientAverager? averager = parallel ? new GradientAverager(comm, network) : null;
        var clock = Stopwatch.StartNew();
        long first = state.Iteration;

        string ranks = parallel ? $" ({comm.Size} ranks × {local}; gradients {averager!.Floats:N0} floats in {averager.Buckets.Count} all-reduce buckets, started during backward)" : "";
        reporter.Line($"{network.SpecName} on {device.Name}; {options.Train.Description}; iterations {state.Iteration}→{state.MaxIterations}, batch {options.Batch}{ranks}, crop {options.Augment.Crop}, lr {schedule.BaseLr:G3} (heads ×LrMult)");
        for (long it = state.Iteration; it < state.MaxIterations; it++)
        {
            FaultPoints.Reached($"iteration {it + 1}");
            network.Prepare(local, options.Augment.Crop, options.Augment.Crop, training: true);
            filler.Fill(network, it);
            network.StepSeed = new SeededRandom(options.Seed, 0xD20, (ulong)it).NextULong();
            network.Forward(training: true);
            LossValues losses = network.ReadLosses();
            bool stopAsked = false;
            if (parallel)
                (losses, stopAsked) = GlobalLosses(losses, cancel.IsCancellationRequested);
            try
            {
                LossGuard.Check(losses, it + 1, File.Exists(store.LastWeights) ? store.LastWeights : $"{store.LastState} (iteration 0)");
            }
            catch (TrainingDivergedException) when (comm.Rank != 0)
            {
                throw new RankStoppedException(); // every rank sees the same global loss; rank 0 reports it
            }

            if (averager is null)
                network.Backward();
            else
                averager.Backward(); // the ranks' mean gradients, all-reduced in buckets while backward runs
            double lr = schedule.At(it);
            sgd.Step(lr);

            long done = it + 1;
            state = state with { Iteration = done };
            if (comm.Rank == 0)
                state = Report(network, store, state, losses, lr, clock.Elapsed, done - first, record);
            bool stopping = (parallel ? stopAsked : cancel.IsCancellationRequested) || done == options.StopAfter;
            if (comm.Rank == 0 && (done % options.CheckpointEvery == 0 || done == state.MaxIterations || done % options.ValEvery == 0 || stopping))
                store.SaveLast(network, sgd, state);
            if (stopping)
            {
                reporter.Line($"stopped after iteration {done}; continue with --resume --work-dir {options.WorkDir}");
                break;
            }
        }

        return state;
    }

    // rank 0: progress, log line and validation of one finished iteration
    private TrainState Report(INetwork network, CheckpointStore store, TrainState state, LossValues losses, double lr, TimeSpan elapsed, long doneHere, RunRecord? record)
    {
        long done = state.Iteration;
        reporter.Progress(done, state.MaxIterations);
        reporter.Losses(done, losses);
        if (done % options.LogEvery == 0 || done == state.MaxIterations)
        {
            reporter.Line(LogLine(network, losses, lr, done, state.MaxIterations, elapsed, doneHere));
            record?.Iteration(done, state.MaxIterations, lr, losses, network.PlannedPeakBytes);
        }

        if (done % options.ValEvery == 0 || done == state.MaxIterations)
            state = Validate(network, store, state, record);
        return state;
    }

    /// <summary>The global batch's losses (the ranks' mean: each divides by its share of the global count) and whether any rank was asked to stop.</summary>
    private (LossValues Losses, bool Stop) GlobalLosses(LossValues losses, bool stopAsked)
    {
        double[] sums = [losses.Total, .. losses.Terms.Values.Select(v => (double)v), stopAsked ? 1 : 0];
        comm.AllReduceSum(sums);
        var terms = new Dictionary<string, float>();
        int i = 1;
        foreach (string name in losses.Terms.Keys)
            terms[name] = (float)(sums[i++] / comm.Size);
        return (new LossValues((float)(sums[0] / comm.Size), terms), sums[^1] > 0);
    }

    /// <summary>Images a rank takes from each global batch (--batch).</summary>
    private int ShardSize()
    {
        if (options.Batch % comm.Size != 0)
        {
            throw new UsageException(
                $"--batch {options.Batch}: the global batch must divide evenly over the {comm.Size} ranks (each takes --batch / ranks images); give a multiple of {comm.Size}");
        }

        return options.Batch / comm.Size;
    }

    private (Device, INetwork) Open(int local)
    {
        Device device = Device.Create(options.Device);
        try
        {
            string shard = comm.Size > 1 ? $" ({local} on each of {comm.Size} ranks)" : "";
            MemoryBudget.Check(options.SpecName, device, local, options.Augment.Crop, training: true,
                $"--crop {options.Augment.Crop} --batch {options.Batch}{shard}");
            INetwork network = NetworkRegistry.Create(options.SpecName, options.SpecClass, options.SpecOrigin, device);
            try
            {
                CheckClasses(network);
                return (device, network);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private TrainState Validate(INetwork network, CheckpointStore store, TrainState state, RunRecord? record)
    {
        var predictor = new Predictor(network, EvalOptions.SingleScale(options.Augment.Crop));
        var took = Stopwatch.StartNew();
        SegmentationMetrics metrics;
        network.Device.Communicator = SingleProcess.Instance; // rank 0 validates alone: its forward passes meet no other rank
        try
        {
            metrics = DatasetEvaluator.Run(predictor, options.Val, reporter.ValidationProgress).Metrics();
        }
        finally
        {
            network.Device.Communicator = comm;
        }

        record?.Validation(state.Iteration, metrics, took.Elapsed);

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
