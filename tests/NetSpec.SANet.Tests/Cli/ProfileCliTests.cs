using System.Text.Json;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class ProfileCliTests
{
    private static string Spec(string name) => RepoFiles.Path(Path.Combine("specs", name));

    [Fact]
    public void ProfilePrintsPerOpTablesAndTotals()
    {
        var (code, output, error) = CliRunner.Run("profile", "--spec", Spec("sanet-tiny.yaml"), "--batch", "2", "--size", "32", "--gpu", "h200");
        Assert.True(code == 0, error);
        Assert.Contains("H200", output);
        Assert.Contains("im2col", output);
        Assert.Contains("gemm NN tf32", output);
        Assert.Matches(@"eval forward: [\d,]+ launches, [\d,]+ GEMM calls, 0 syncs, 0 host copies", output);
        Assert.Matches(@"training step \(forward, losses read, backward, SGD\): [\d,]+ launches, [\d,]+ GEMM calls, 0 syncs, 3 host copies", output);
        Assert.DoesNotContain("PyTorch", output); // measured for sanet-r50 at 8×480×480 on an H100 only
    }

    [Fact]
    public void JsonTotalsAreTheSumsOfTheRows()
    {
        var (code, output, error) = CliRunner.Run("profile", "--spec", Spec("sanet-tiny.yaml"), "--batch", "1", "--size", "32", "--json", "--fp32");
        Assert.True(code == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("tf32").GetBoolean());
        foreach (string step in new[] { "eval", "train" })
        {
            JsonElement s = root.GetProperty(step);
            JsonElement[] rows = s.GetProperty("rows").EnumerateArray().ToArray();
            double sum = rows.Sum(r => r.GetProperty("estimateMs").GetDouble());
            Assert.Equal(s.GetProperty("estimateMs").GetDouble(), sum, 1e-9 * sum);
            int launches = rows.Where(r => !r.GetProperty("op").GetString()!.StartsWith("gemm", StringComparison.Ordinal)
                && !r.GetProperty("op").GetString()!.StartsWith("host", StringComparison.Ordinal)).Sum(r => r.GetProperty("calls").GetInt32());
            Assert.Equal(s.GetProperty("launches").GetInt32(), launches);
            Assert.All(rows.Where(r => r.GetProperty("op").GetString()!.StartsWith("gemm", StringComparison.Ordinal)),
                r => Assert.EndsWith("fp32", r.GetProperty("op").GetString()!, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("--gpu", "a100", "--gpu 'a100'")]
    [InlineData("--size", "0", "--size")]
    [InlineData("--batch", "100000", "--batch")]
    public void BadOptionsAreOneLineAndExitTwo(string option, string value, string named)
    {
        var (code, output, error) = CliRunner.Run("profile", "--spec", Spec("sanet-tiny.yaml"), option, value);
        Assert.Equal(2, code);
        Assert.Contains(named, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("1", "8")] // smaller than sanet-tiny's 1/16 feature map
    [InlineData("1", "16")] // a batch norm in training over one value per channel
    public void SizesTheNetworkRejectsAreOneLineAndExitTwo(string batch, string size)
    {
        var (code, output, error) = CliRunner.Run("profile", "--spec", Spec("sanet-tiny.yaml"), "--batch", batch, "--size", size);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --batch {batch} --size {size}: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Fact]
    public void AnArenaTooLargeToReserveIsRefusedBeforeAllocating()
    {
        var (code, _, error) = CliRunner.Run("profile", "--spec", Spec("sanet-r50.yaml"), "--batch", "4096", "--size", "16384");
        Assert.Equal(2, code);
        Assert.Contains("GiB", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
