using NetSpec.Runtime.Tests.Distributed;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Cli;
using NetSpec.Samples.SANet.Training;

namespace NetSpec.SANet.Tests.Training;

/// <summary>
/// Bad input to a data-parallel run (ranks as threads): rank 0 reports one clear error, every other rank stops quietly
/// (<see cref="RankStoppedException"/>), and nothing is left in the work dir.
/// </summary>
public sealed class DataParallelInputTests
{
    [Fact]
    public void AGlobalBatchThatDoesNotDivideOverTheRanks()
    {
        using var dir = new TempDir();
        Exception?[] outcomes = Train(rank => Options(dir["work"], batch: 5));
        Assert.IsType<UsageException>(outcomes[0]);
        Assert.Equal("--batch 5: the global batch must divide evenly over the 2 ranks (each takes --batch / ranks images); give a multiple of 2", outcomes[0]!.Message);
        Assert.IsType<RankStoppedException>(outcomes[1]);
        Assert.False(Directory.Exists(dir["work"]));
    }

    [Fact]
    public void RanksStartedWithDifferentBatchesOrCrops()
    {
        using var dir = new TempDir();
        Exception?[] outcomes = Train(rank => Options(dir["work"], batch: rank == 0 ? 8 : 4, crop: rank == 0 ? 48 : 32));
        Assert.IsType<UsageException>(outcomes[0]);
        Assert.Equal(
            "the ranks of this run were started with different settings: --batch differs on 1 of 2 ranks (rank 0: 8); --crop differs on 1 of 2 ranks (rank 0: 48); start every rank with the same command",
            outcomes[0]!.Message);
        Assert.IsType<RankStoppedException>(outcomes[1]);
        Assert.False(Directory.Exists(dir["work"]));
    }

    [Fact]
    public void AWorkDirThatNotEveryRankSees()
    {
        // rank 1 names another folder by the same option: as a rank on a machine that does not share rank 0's disk
        using var dir = new TempDir();
        Exception?[] outcomes = Train(rank => Options(dir[rank == 0 ? "work" : "elsewhere"], batch: 4));
        Assert.IsType<CheckpointException>(outcomes[0]);
        Assert.StartsWith($"--work-dir {dir["work"]}: 1 of 1 other ranks cannot see it", outcomes[0]!.Message);
        Assert.IsType<RankStoppedException>(outcomes[1]);
        Assert.False(Directory.Exists(dir["work"])); // made for the token, removed with it
        Assert.False(Directory.Exists(dir["elsewhere"]));
    }

    [Fact]
    public void ASharedWorkDirKeepsNoTokenAfterTheCheck()
    {
        using var dir = new TempDir();
        Exception?[] outcomes = Train(rank => Options(dir["work"], batch: 4) with { MaxIterations = 1 });
        Assert.All(outcomes, Assert.Null);
        Assert.Equal([WorkDirLock.LockName, "best.safetensors", "config.yaml", "last.safetensors", "last.state.safetensors", "run.jsonl"], Directory.GetFiles(dir["work"]).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    private static TrainOptions Options(string workDir, int batch, int crop = 48) => TrainCommand.Resolve(new TrainSettings
    {
        Iters = 2,
        Batch = batch,
        Crop = crop,
        Device = "cpu",
        WorkDir = workDir,
        ValEvery = 1000,
        Set = ["val-limit=1"],
    }).Options;

    // each rank's exception, or null where its run finished
    private static Exception?[] Train(Func<int, TrainOptions> options) => ThreadCommunicator.Run(2, comm =>
    {
        try
        {
            new Trainer(options(comm.Rank), QuietReporter.Instance, comm).Run(CancellationToken.None);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    });
}
