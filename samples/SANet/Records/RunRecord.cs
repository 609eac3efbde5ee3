using System.Diagnostics;
using System.Globalization;
using NetSpec.Runtime;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Evaluation;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// A run's record in its work dir: <c>config.yaml</c> (<see cref="RunConfig"/>) and <c>run.jsonl</c>
/// (<see cref="RunLog"/>). Opened after the run's state file exists (a fresh run's iteration 0, or the state it
/// resumes from): a fresh run writes a new config.yaml; a resumed one appends a <c>resumes</c> entry to the one it
/// finds and drops the lines that a killed process logged after its last checkpoint.
/// </summary>
public sealed class RunRecord
{
    private readonly RunLog log;
    private readonly TrainOptions options;
    private readonly Stopwatch sinceLogged = Stopwatch.StartNew();
    private long lastLogged;
    private double validationSeconds;

    private RunRecord(TrainOptions options, RunLog log, long iteration)
    {
        this.options = options;
        this.log = log;
        lastLogged = iteration;
    }

    public static RunRecord Open(TrainOptions options, INetwork network, string deviceName, TrainState state, ITrainReporter reporter)
    {
        string configPath = Path.Combine(options.WorkDir, RunConfigFile.FileName);
        var log = new RunLog(Path.Combine(options.WorkDir, RunLog.FileName));
        RunProvenance provenance = options.Provenance ?? new RunProvenance([], null, "the dataset", "", network.NumClasses);
        string version = Version();
        var resume = new ResumeRecord
        {
            Time = Now(),
            CommandLine = [.. provenance.CommandLine],
            FromIteration = state.Iteration,
            Iterations = state.MaxIterations,
            Device = deviceName,
            NetspecVersion = version,
        };
        if (File.Exists(configPath))
        {
            RunConfig config = RunConfigFile.Read(configPath);
            config.Resumes.Add(resume);
            RunConfigFile.Write(configPath, config);
        }
        else
        {
            RunConfig config = New(options, network, deviceName, state, provenance, version);
            if (state.Iteration > 0)
            {
                config.Resumes.Add(resume);
                reporter.Line($"{configPath}: not found, so written anew at this resume (its 'started' is now)");
            }

            RunConfigFile.Write(configPath, config);
        }

        int dropped = log.KeepUpTo(state.Iteration);
        if (dropped > 0)
            reporter.Line($"{log.Path}: dropped {dropped} line(s) logged after iteration {state.Iteration}, the checkpoint this run resumes from");
        return new RunRecord(options, log, state.Iteration);
    }

    /// <summary>A logged iteration; seconds per iteration are since the previous logged one, validation excluded.</summary>
    public void Iteration(long done, long maxIterations, double lr, LossValues losses, long plannedDeviceBytes)
    {
        double seconds = sinceLogged.Elapsed.TotalSeconds - validationSeconds;
        double perIteration = seconds / Math.Max(1, done - lastLogged);
        log.Append(RunLogLines.Train(done, maxIterations, lr, losses, perIteration, plannedDeviceBytes));
        lastLogged = done;
        validationSeconds = 0;
        sinceLogged.Restart();
    }

    public void Validation(long iteration, SegmentationMetrics metrics, TimeSpan took)
    {
        validationSeconds += took.TotalSeconds;
        log.Append(RunLogLines.Validation(iteration, metrics, options.Val.ClassNames, options.IsContext, options.Val.Count, took.TotalSeconds));
    }

    private static RunConfig New(TrainOptions o, INetwork network, string deviceName, TrainState state, RunProvenance p, string version) => new()
    {
        NetspecVersion = version,
        Started = Now(),
        CommandLine = [.. p.CommandLine],
        Spec = new SpecRecord { Name = network.SpecName, File = o.SpecOrigin, Sha256 = p.SpecSha256, Classes = network.NumClasses },
        Dataset = new DatasetRecord
        {
            Kind = o.DatasetName,
            Root = p.DataRoot is null ? "" : Path.GetFullPath(p.DataRoot),
            Train = new SplitRecord { Description = o.Train.Description, Images = o.Train.Count },
            Val = new SplitRecord { Description = o.Val.Description, Images = o.Val.Count },
            ClassNamesFrom = p.ClassNamesFrom,
            ClassNames = [.. o.Train.ClassNames],
        },
        Device = deviceName,
        Seed = o.Seed,
        Recipe = new RecipeRecord
        {
            Iterations = state.MaxIterations,
            Batch = o.Batch,
            Crop = o.Augment.Crop,
            BaseLr = o.BaseLr,
            ScaledLr = o.ScaledLr,
            Power = o.Power,
            Momentum = o.Momentum,
            WeightDecay = o.WeightDecay,
            ScaleMin = o.Augment.ScaleMin,
            ScaleMax = o.Augment.ScaleMax,
            Flip = o.Augment.Flip,
            ValEvery = o.ValEvery,
            LogEvery = o.LogEvery,
            CheckpointEvery = o.CheckpointEvery,
            StopAfter = o.StopAfter,
            Pretrained = o.Pretrained ?? "",
        },
    };

    /// <summary>NetSpec's version: the runtime assembly's informational version (e.g. <c>0.1.0+COMMIT</c>).</summary>
    private static string Version() =>
        typeof(Device).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
