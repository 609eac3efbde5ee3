using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class InfoCliTests
{
    [Fact]
    public void InfoReportsShapesParametersFlopsAndMemory()
    {
        using var dir = new TempDir();
        TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, output, error) = CliRunner.Run("info", "--spec", dir["sanet-tiny.yaml"], "--size", "96");
        Assert.True(code == 0, error);
        Assert.Contains("head.mask", output);
        Assert.Matches(@"sanet-tiny at 1×3×96×96: [\d,]+ parameters, \d+\.\d\d GFLOPs, planned memory", output);
    }

    [Fact]
    public void BrokenSpecFileIsOneLineNamingTheFile()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["broken.yaml"], "extends: missing.yaml\nclasses: 6\n");
        var (code, _, error) = CliRunner.Run("train", "--spec", dir["broken.yaml"], "--iters", "1");
        Assert.Equal(2, code);
        Assert.Contains("broken.yaml", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
