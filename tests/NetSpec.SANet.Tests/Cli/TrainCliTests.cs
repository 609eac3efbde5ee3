using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class TrainCliTests
{
    private static string[] Train(string spec, string workDir, params string[] extra) =>
        ["train", "--spec", spec, "--work-dir", workDir, "--batch", "2", "--crop", "32", "--device", "cpu", "--log-every", "2", .. extra];

    [Fact]
    public void ShortRunLogsValidatesAndCheckpoints()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, output, error) = CliRunner.Run(Train(spec, dir["work"], "--iters", "6", "--val-every", "3"));

        Assert.True(code == 0, error + output);
        Assert.Contains("iter 2/6", output);
        Assert.Contains("loss ", output);
        Assert.Contains("mask ", output);
        Assert.Contains("val @ 3: pixAcc", output);
        Assert.Contains("val @ 6: pixAcc", output);
        Assert.Contains("striped-disc", output);
        var (weights, meta) = SafeTensorsFile.Read(dir["work/last.safetensors"]);
        Assert.Equal("6", meta["iteration"]);
        Assert.Equal(TestNetworks.Six, meta["spec"]);
        Assert.Equal(["head.weight", "head.bias", "norm.running_mean", "norm.num_batches_tracked"], weights.Select(w => w.Name));
        Assert.Equal(SafeDType.I64, weights[3].DType);
        Assert.Equal(6f, weights[3].ToFloats()[0]);
        Assert.True(File.Exists(dir["work/best.safetensors"]));
        Assert.True(File.Exists(dir["work/last.state.safetensors"]));
    }

    [Fact]
    public void StoppedAndResumedRunEndsWithTheSameWeightsAsAStraightOne()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        string[] common = ["--iters", "8", "--val-every", "100", "--seed", "7"];

        Assert.Equal(0, CliRunner.Run(Train(spec, dir["straight"], common)).Code);
        var stopped = CliRunner.Run(Train(spec, dir["resumed"], [.. common, "--set", "stop-after=3"]));
        Assert.True(stopped.Code == 0, stopped.Error);
        Assert.Contains("stopped after iteration 3", stopped.Out);
        Assert.Equal("3", SafeTensorsFile.Read(dir["resumed/last.safetensors"]).Metadata["iteration"]);
        var resumed = CliRunner.Run(Train(spec, dir["resumed"], [.. common, "--resume"]));
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("resumed from", resumed.Out);

        var straight = SafeTensorsFile.Read(dir["straight/last.safetensors"]).Tensors;
        var again = SafeTensorsFile.Read(dir["resumed/last.safetensors"]).Tensors;
        Assert.Equal(straight.Select(t => t.Name), again.Select(t => t.Name));
        for (int i = 0; i < straight.Count; i++)
            Assert.True(straight[i].Data.SequenceEqual(again[i].Data), $"{straight[i].Name} differs after resume");

        // And the run really trained: the weights moved away from the seed's initialisation.
        var fresh = CliRunner.Run(Train(spec, dir["fresh"], ["--iters", "1", "--val-every", "100", "--seed", "7", "--set", "stop-after=1", "--lr", "0"]));
        Assert.Equal(0, fresh.Code);
        Assert.False(SafeTensorsFile.Read(dir["fresh/last.safetensors"]).Tensors[0].Data.SequenceEqual(straight[0].Data));
    }

    [Fact]
    public void NanLossStopsNamingIterationAndTermAndKeepsTheLastCheckpoint()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Diverging);
        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"], "--iters", "6", "--val-every", "100", "--set", "checkpoint-every=2"));
        Assert.Equal(2, code);
        Assert.Contains("iteration 3: loss 'mask' is NaN", error);
        Assert.Contains("last.safetensors", error);
        Assert.Equal("2", SafeTensorsFile.Read(dir["work/last.safetensors"]).Metadata["iteration"]);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void ExistingRunIsNotOverwrittenWithoutResume()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Assert.Equal(0, CliRunner.Run(Train(spec, dir["work"], "--iters", "2", "--val-every", "100")).Code);
        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"], "--iters", "2", "--val-every", "100"));
        Assert.Equal(2, code);
        Assert.Contains("--resume", error);
    }

    [Theory]
    [InlineData("--set", "warmup=3", "KEY one of")]
    [InlineData("--batch", "0", "--batch 0: must be in 1..1024")]
    [InlineData("--dataset", "coco", "--dataset coco needs --data")]
    public void BadOptionsAreOneLineErrors(string option, string value, string expected)
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"], option, value));
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void SpecThatWasNotCompiledIsAClearError()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, "my-new-net");
        var (code, _, error) = CliRunner.Run(Train(spec, dir["work"]));
        Assert.Equal(2, code);
        Assert.Contains(spec, error);
        Assert.Contains("not compiled", error);
        Assert.Contains("NetSpec.Networks.MyNewNet", error);
    }
}
