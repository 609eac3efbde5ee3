using NetSpec.Runtime.Weights;
using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>What predict writes where names collide or links and earlier outputs are in the way (the refusals are in HostileInputTests).</summary>
public class PredictOutputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    [Fact]
    public void CollidingNamesGetDistinctOutputsAndInputsStayUntouched()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["in/a.png"], 20, 16, 10);
        TestImages.Jpeg(dir["in/a.jpg"], 20, 16, (x, y) => ((byte)x, (byte)y, 40));
        TestImages.Png(dir["in/a_overlay.png"], 20, 16, 90);
        var inputs = Directory.GetFiles(dir["in"]).ToDictionary(f => f, File.ReadAllBytes);

        var (code, output, error) = CliRunner.Run("predict", "--device", "cpu", "--checkpoint", fixture.Checkpoint, "--input", dir["in"],
            "--out", dir["out"], "--window", "16");

        Assert.True(code == 0, error + output);
        Assert.Equal(
            ["a.png", "a_overlay.png", "a_overlay~2.png", "a_overlay~2_overlay.png", "a~2.png", "a~2_overlay.png"],
            Directory.GetFiles(dir["out"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(inputs, kv => Assert.Equal(kv.Value, File.ReadAllBytes(kv.Key)));
    }

    /// <summary>The fixture trained with --crop 32: predict's window is 32 unless --window says otherwise, 96 when the checkpoint records no crop.</summary>
    [Fact]
    public void WindowDefaultsToTheTrainingCropAndMultiScaleWithFlipRuns()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["a.png"], 20, 16, 10);
        Assert.Equal(32, NetworkWeights.ReadMetadata(fixture.Checkpoint).TrainingCrop);

        var (code, output, error) = CliRunner.Run("predict", "--device", "cpu", "--checkpoint", fixture.Checkpoint, "--input", dir["a.png"],
            "--out", dir["single"]);
        Assert.True(code == 0, error + output);
        Assert.Contains("scales 1, window 32", output);

        (code, output, error) = CliRunner.Run("predict", "--device", "cpu", "--checkpoint", fixture.Checkpoint, "--input", dir["a.png"],
            "--out", dir["multi"], "--multi-scale", "--flip");
        Assert.True(code == 0, error + output);
        Assert.Contains("scales 0.5,0.75,1,1.25,1.5,1.75,2 + flip, window 32", output);
        Assert.True(File.Exists(dir["multi/a.png"]) && File.Exists(dir["multi/a_overlay.png"]));

        var (tensors, meta) = SafeTensorsFile.Read(fixture.Checkpoint);
        meta.Remove("crop");
        SafeTensorsFile.Write(dir["old.safetensors"], tensors, meta);
        (code, output, error) = CliRunner.Run("predict", "--device", "cpu", "--checkpoint", dir["old.safetensors"], "--input", dir["a.png"],
            "--out", dir["old"]);
        Assert.True(code == 0, error + output);
        Assert.Contains("window 96", output);
    }

    /// <summary>A recorded crop out of range or malformed, and another spec's checkpoint: one line naming the file, exit 2.</summary>
    [Theory]
    [InlineData("crop", "100000", "{ckpt}: records a training crop of 100000, above 8192; pass --window")]
    [InlineData("crop", "abc", "{ckpt}: metadata 'crop' is 'abc', not a positive integer")]
    [InlineData("spec", "fcn-tiny", "{ckpt}: does not match spec fcn-tiny (it was saved from sanet-tiny): loaded ")]
    public void BadCheckpointMetadataIsOneLineNamingTheFile(string key, string value, string expected)
    {
        using var dir = new TempDir();
        TestImages.Png(dir["a.png"], 20, 16, 10);
        var (tensors, meta) = SafeTensorsFile.Read(fixture.Checkpoint);
        if (key != "spec")
            meta[key] = value;
        SafeTensorsFile.Write(dir["c.safetensors"], tensors, meta);

        string[] args = ["predict", "--device", "cpu", "--checkpoint", dir["c.safetensors"], "--input", dir["a.png"], "--out", dir["out"]];
        if (key == "spec")
            args = [.. args, "--spec", RepoFiles.Path("specs/fcn-tiny.yaml")];
        var (code, output, error) = CliRunner.Run(args);

        Assert.True(code == 2, $"exit {code}\n{error}{output}");
        Assert.Contains(expected.Replace("{ckpt}", dir["c.safetensors"]), error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir["out"]));
    }

    [Fact]
    public void SingleImageNextToItsOutputsIsNeverReplaced()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["a.png"], 20, 16, 10);
        byte[] image = File.ReadAllBytes(dir["a.png"]);

        var (code, output, error) = CliRunner.Run("predict", "--device", "cpu", "--checkpoint", fixture.Checkpoint, "--input", dir["a.png"],
            "--out", dir.Path, "--window", "16", "--overwrite");

        Assert.True(code == 0, error + output);
        Assert.Equal(image, File.ReadAllBytes(dir["a.png"]));
        Assert.True(File.Exists(dir["a~2.png"]) && File.Exists(dir["a~2_overlay.png"]));
    }

    [Fact]
    public void OverwriteReplacesALinkInsteadOfWritingThroughIt()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["in/a.png"], 20, 16, 10);
        File.WriteAllText(dir["victim.txt"], "must survive");
        Directory.CreateDirectory(dir["out"]);
        File.CreateSymbolicLink(dir["out/a.png"], dir["victim.txt"]);
        File.WriteAllText(dir["out/a_overlay.png"], "earlier");

        var (code, output, error) = CliRunner.Run("predict", "--device", "cpu", "--checkpoint", fixture.Checkpoint, "--input", dir["in"],
            "--out", dir["out"], "--window", "16", "--overwrite", "--no-legend");

        Assert.True(code == 0, error + output);
        Assert.Equal("must survive", File.ReadAllText(dir["victim.txt"]));
        Assert.Null(new FileInfo(dir["out/a.png"]).LinkTarget);
        foreach (string written in new[] { dir["out/a.png"], dir["out/a_overlay.png"] })
        {
            var (width, height, _) = NetSpec.Samples.SANet.Imaging.ImageCodec.DecodeRgb(written);
            Assert.Equal((20, 16), (width, height));
        }

        Assert.Equal(2, Directory.GetFiles(dir["out"]).Length);
    }
}
