using NetSpec.Samples.SANet.Cli;
using NetSpec.SANet.Tests.Data;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>
/// Issue 12's 8000² image: eval redirected to a file printed nothing until the image was done (minutes). Now an image
/// prints a line per tenth of its windows once it has run <see cref="EvalCommand.WindowLineSeconds"/> (0 here).
/// </summary>
public class LargeImageEvalTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    [Fact]
    public void RedirectedEvalReportsWindowsInsideAnImage()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["data/images/a.png"], 160, 120, 70);
        TestImages.GreyLabel(dir["data/labels/a.png"], 160, 120, new byte[160 * 120]);
        double before = EvalCommand.WindowLineSeconds;
        EvalCommand.WindowLineSeconds = 0;
        try
        {
            var (code, output, error) = CliRunner.Run("eval", "--device", "cpu", "--checkpoint", fixture.Checkpoint, "--data", dir["data"],
                "--dataset", "folder", "--classes", "6", "--window", "32");

            Assert.True(code == 0, error + output);
            Assert.True(Console.IsOutputRedirected); // the test host's stdout is a pipe: eval takes its line path
            string[] lines = output.Split('\n').Where(l => l.Contains("eval image 1/1:", StringComparison.Ordinal)).ToArray();
            Assert.True(lines.Length >= 5, output); // a line per tenth of the windows (ten, less any that one window spans)
            Assert.Contains("eta ", lines[0]);
            Assert.Contains("windows", lines[^1]);
        }
        finally
        {
            EvalCommand.WindowLineSeconds = before;
        }
    }
}
