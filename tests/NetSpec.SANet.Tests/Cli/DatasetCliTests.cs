using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class DatasetCliTests
{
    [Fact]
    public void VocLayoutTrainsEvaluatesAndPredicts()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir["data"], train: 4, val: 2, width: 48, height: 40);
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.TwentyOne, 21);

        var train = CliRunner.Run("train", "--spec", spec, "--data", dir["data"], "--dataset", "voc", "--iters", "4", "--batch", "2",
            "--crop", "32", "--val-every", "2", "--work-dir", dir["work"], "--device", "cpu", "--lr", "0.01");
        Assert.True(train.Code == 0, train.Error + train.Out);
        Assert.Contains("voc train (4 images", train.Out);
        Assert.Contains("aeroplane", train.Out);

        var eval = CliRunner.Run("eval", "--checkpoint", dir["work/best.safetensors"], "--data", dir["data"], "--dataset", "voc",
            "--multi-scale", "--flip", "--window", "32", "--device", "cpu");
        Assert.True(eval.Code == 0, eval.Error + eval.Out);
        Assert.Contains("scales 0.5,0.75,1,1.25,1.5,1.75,2 + flip", eval.Out);
        Assert.Matches(@"pixAcc \d+\.\d\d  mIoU \d+\.\d\d", eval.Out);

        var predict = CliRunner.Run("predict", "--checkpoint", dir["work/last.safetensors"], "--input",
            dir["data/VOCdevkit/VOC2012/JPEGImages"], "--out", dir["pred"], "--window", "32", "--device", "cpu");
        Assert.True(predict.Code == 0, predict.Error + predict.Out);
        Assert.Equal(12, Directory.GetFiles(dir["pred"]).Length);
        var label = NetSpec.Samples.SANet.Data.Disk.LabelDecoder.Read(dir["pred/2007_000000.png"], 21);
        Assert.Equal((48, 40), (label.Width, label.Height));
    }

    [Fact]
    public void EvalOfACheckpointForAnotherClassCountIsAClearError()
    {
        using var dir = new TempDir();
        string spec6 = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Assert.Equal(0, CliRunner.Run("train", "--spec", spec6, "--iters", "1", "--batch", "1", "--crop", "16", "--val-every", "100",
            "--work-dir", dir["work"], "--device", "cpu").Code);
        TestImages.VocLayout(dir["data"], train: 1, val: 1, width: 16, height: 16);
        var (code, _, error) = CliRunner.Run("eval", "--checkpoint", dir["work/last.safetensors"], "--spec",
            TestNetworks.SpecFile(dir.Path, TestNetworks.TwentyOne, 21), "--data", dir["data"], "--device", "cpu");
        Assert.Equal(2, code);
        Assert.Contains("last.safetensors", error);
        Assert.Contains("shape", error);
    }
}
