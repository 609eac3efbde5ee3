using NetSpec.SANet.Tests.Data;

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
