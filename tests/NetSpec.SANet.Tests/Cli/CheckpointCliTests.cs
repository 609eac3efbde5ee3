using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>Damaged checkpoints through the commands that read them: a one-line error and exit 2, never a result.</summary>
public class CheckpointCliTests
{
    [Fact]
    public void EvalRefusesACheckpointHoldingNaNNamingTheTensor()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var train = CliRunner.Run("train", "--spec", spec, "--work-dir", dir["work"], "--iters", "1", "--batch", "2", "--crop", "32", "--val-every", "100", "--device", "cpu");
        Assert.True(train.Code == 0, train.Error);
        var (tensors, meta) = SafeTensorsFile.Read(dir["work/last.safetensors"]);
        float[] bias = tensors.Single(t => t.Name == "head.bias").ToFloats();
        bias[2] = float.NaN;
        tensors[tensors.FindIndex(t => t.Name == "head.bias")] = SafeTensorEntry.FromFloats("head.bias", [bias.Length], bias);
        SafeTensorsFile.Write(dir["nan.safetensors"], tensors, meta);

        var (code, output, error) = CliRunner.Run("eval", "--checkpoint", dir["nan.safetensors"], "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Equal($"error: {dir["nan.safetensors"]}: tensor 'head.bias' holds NaN at element 2; refusing non-finite weights", error.Trim());
        Assert.DoesNotContain("mIoU", output);
    }

    [Fact]
    public void ResumeRefusesAStateFileFromAnotherSpec()
    {
        using var dir = new TempDir();
        string six = TestNetworks.SpecFile(dir.Path, TestNetworks.Six), stem = TestNetworks.SpecFile(dir.Path, TestNetworks.StandardStem);
        string[] common = ["--work-dir", dir["work"], "--iters", "2", "--batch", "2", "--crop", "32", "--val-every", "100", "--device", "cpu"];
        Assert.Equal(0, CliRunner.Run(["train", "--spec", six, .. common, "--set", "stop-after=1"]).Code);
        var (code, _, error) = CliRunner.Run(["train", "--spec", stem, .. common, "--resume"]);
        Assert.Equal(2, code);
        Assert.Equal($"error: {dir["work/last.state.safetensors"]}: holds a run of spec {TestNetworks.Six}, not {TestNetworks.StandardStem}", error.Trim());
    }
}
