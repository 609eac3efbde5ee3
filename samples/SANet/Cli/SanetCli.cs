using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// The command line: train (the default), eval, predict, info, profile, baseline. User errors (bad data, bad checkpoint,
/// wrong option, spec not compiled) print one line to stderr and exit 2; anything else is a bug and keeps its trace.
/// </summary>
public static class SanetCli
{
    public static int Run(string[] args)
    {
        var app = new CommandApp<TrainCommand>();
        app.Configure(config =>
        {
            config.SetApplicationName("SANet");
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.SetHelpProvider(new SanetHelp(config.Settings));
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a spec (default: sanet-tiny on the built-in data, no download needed; on disk data the spec with its classes).");
            config.AddCommand<EvalCommand>("eval").WithDescription("Evaluate a checkpoint: pixAcc, mIoU and per-class IoU.");
            config.AddCommand<PredictCommand>("predict").WithDescription("Write a palette label PNG and an overlay PNG with a class legend per image.");
            config.AddCommand<InfoCommand>("info").WithDescription("Report a spec: shapes, parameters, FLOPs and planned memory at a size.");
            config.AddCommand<ProfileCommand>("profile").WithDescription("Estimate a spec's eval forward and training step on a GPU from a traced step (cost model).");
            config.AddCommand<ExportCommand>("export").WithDescription("Export a checkpoint (or a spec's fresh weights) as an ONNX model for inference.");
            config.AddCommand<PlotCommand>("plot").WithDescription("Draw a run's curves (loss terms, lr, val mIoU against iteration) from WORK_DIR/run.jsonl as a PNG.");
            config.AddCommand<BaselineCommand>("baseline").WithDescription("Fit and score the colour-lookup baseline on a dataset.");
        });

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            ArgumentText.RefuseEmptyValues(args);
            ArgumentText.RefuseMissingValues(args);
            return app.Run(args, cancel.Token);
        }
        catch (RankStoppedException)
        {
            return 2; // rank 0 printed the error every rank met
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {(e is CommandAppException ? ArgumentText.Restate(e.Message, args) : e.Message)}");
            return 2;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static bool IsUserError(Exception e) => e is UsageException or DataException or CheckpointException
        or SpecNotCompiledException or SpecFileException or DeviceNotAvailableException or TrainingDivergedException or FileNotFoundException
        or DirectoryNotFoundException or CommandAppException or MemoryBudgetException or Onnx.OnnxExportException or RankFailedException;
}
