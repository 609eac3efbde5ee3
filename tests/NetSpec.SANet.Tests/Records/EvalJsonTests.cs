using System.Globalization;
using System.Text.Json.Nodes;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Data.Synthetic;
using NetSpec.SANet.Tests.Cli;
using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Records;

/// <summary><c>eval --json</c>: the result for scripts, on stdout alone or in a file.</summary>
public class EvalJsonTests
{
    private static string TrainedCheckpoint(TempDir dir)
    {
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var run = CliRunner.Run("train", "--spec", spec, "--work-dir", dir["work"], "--batch", "2", "--crop", "32", "--device", "cpu",
            "--iters", "3", "--val-every", "100");
        Assert.True(run.Code == 0, run.Error);
        return dir["work/last.safetensors"];
    }

    [Fact]
    public void JsonAloneOnStdoutAgreesWithTheSummary()
    {
        using var dir = new TempDir();
        string checkpoint = TrainedCheckpoint(dir);
        var (code, output, error) = CliRunner.Run("eval", "--checkpoint", checkpoint, "--device", "cpu", "--window", "32", "--json");
        Assert.True(code == 0, error);

        var json = JsonNode.Parse(output)!.AsObject();
        double miou = (double)json["mIoU"]!, acc = (double)json["pixAcc"]!;
        var iou = json["class_iou"]!.AsObject();
        Assert.Equal(ShapeKind.Names, iou.Select(c => c.Key));
        Assert.Equal(iou.Average(c => (double)c.Value!), miou, 12);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"pixAcc {acc * 100:F2}  mIoU {miou * 100:F2}"), error);
        Assert.Equal(checkpoint, (string)json["checkpoint"]!["path"]!);
        Assert.Equal(3, (long)json["checkpoint"]!["iteration"]!);
        Assert.Equal(TestNetworks.Six, (string)json["spec"]!);
        Assert.Equal(("builtin", 100), ((string)json["dataset"]!["kind"]!, (int)json["dataset"]!["images"]!));
        Assert.Equal(32, (int)json["options"]!["window"]!);
        Assert.True((double)json["timings"]!["eval_seconds"]! > 0);
        Assert.StartsWith("checkpoint ", (string)json["class_names_from"]!);
    }

    [Fact]
    public void JsonFileIsWrittenAndNotReplacedWithoutOverwrite()
    {
        using var dir = new TempDir();
        string checkpoint = TrainedCheckpoint(dir);
        string[] eval = ["eval", "--checkpoint", checkpoint, "--device", "cpu", "--window", "32", "--json", dir["r.json"]];
        var first = CliRunner.Run(eval);
        Assert.True(first.Code == 0, first.Error);
        Assert.Contains("mIoU", first.Out); // the table and summary still go to stdout
        var json = JsonNode.Parse(File.ReadAllText(dir["r.json"]))!.AsObject();
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"mIoU {(double)json["mIoU"]! * 100:F2}"), first.Out);

        var again = CliRunner.Run(eval);
        Assert.Equal(2, again.Code);
        Assert.Contains("exists already; pass --overwrite", again.Error);
        Assert.Equal(0, CliRunner.Run([.. eval, "--overwrite"]).Code);
    }

    /// <summary>
    /// A checkpoint whose class_names is not one distinct name per class is refused, naming the file: by eval and, with
    /// the same line (one rule, CheckpointClassNames), by predict, which writes nothing.
    /// </summary>
    [Theory]
    [InlineData("not json", false)]
    [InlineData("[\"a\",\"b\"]", true)]
    [InlineData("[\"a\",\"a\",\"b\",\"c\",\"d\",\"e\"]", true)]
    [InlineData("[\"a\",\"\",\"b\",\"c\",\"d\",\"e\"]", true)]
    [InlineData("{\"a\":1}", false)]
    public void RefusesCheckpointClassNamesThatDoNotFit(string classNames, bool isList)
    {
        using var dir = new TempDir();
        string checkpoint = TrainedCheckpoint(dir);
        var (tensors, meta) = SafeTensorsFile.Read(checkpoint);
        meta["class_names"] = classNames;
        SafeTensorsFile.Write(dir["bad.safetensors"], tensors, meta);
        var (code, _, error) = CliRunner.Run("eval", "--checkpoint", dir["bad.safetensors"], "--device", "cpu", "--window", "32");
        Assert.Equal(2, code);
        string why = isList
            ? "its metadata's class_names is not a list of 6 distinct non-empty names; pass --class-names FILE to name the classes"
            : "metadata 'class_names' is not a JSON array of strings"; // refused when read (CheckpointMetadata)
        Assert.Equal($"error: {dir["bad.safetensors"]}: {why}", error.Trim());

        TestImages.Png(dir["a.png"], 40, 30, 10);
        var predict = CliRunner.Run("predict", "--checkpoint", dir["bad.safetensors"], "--input", dir["a.png"], "--out", dir["out"],
            "--device", "cpu", "--window", "32");
        Assert.Equal(2, predict.Code);
        Assert.Equal($"error: {dir["bad.safetensors"]}: {why}", predict.Error.Trim());
        Assert.False(Directory.Exists(dir["out"]) && Directory.EnumerateFileSystemEntries(dir["out"]).Any(), "predict wrote outputs");
        if (!isList)
            return; // refused when the metadata is read: no option gets past a header that is not what it claims

        // The way around it that the message names, in both commands.
        File.WriteAllLines(dir["names.txt"], ["sky", "sea", "sand", "rock", "shell", "crab"]);
        var named = CliRunner.Run("predict", "--checkpoint", dir["bad.safetensors"], "--input", dir["a.png"], "--out", dir["out"],
            "--device", "cpu", "--window", "32", "--class-names", dir["names.txt"]);
        Assert.True(named.Code == 0, named.Error);
        var evalNamed = CliRunner.Run("eval", "--checkpoint", dir["bad.safetensors"], "--device", "cpu", "--window", "32", "--class-names", dir["names.txt"]);
        Assert.True(evalNamed.Code == 0, evalNamed.Error);
        Assert.Contains("crab", evalNamed.Out);
    }
}
