using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Records;

namespace NetSpec.SANet.Tests.Records;

/// <summary>config.yaml reads back as written, whatever the strings hold; anything else is refused naming the file.</summary>
public class RunConfigFileTests
{
    /// <summary>Strings YAML would misread unquoted: booleans, numbers, null, comments, flow and block markers, a colon.</summary>
    private static readonly string[] Awkward = ["yes", "no", "true", "False", "1e5", "0x10", "~", "null", "# not a comment", "- dash", "[a, b]", "{k: v}", "a: b", "'quoted'", "\"double\"", "", " spaced ", "é×→", "line\nbreak"];

    [Fact]
    public void RoundTripsEveryField()
    {
        using var dir = new TempDir();
        var config = new RunConfig
        {
            NetspecVersion = "0.1.0+abc",
            Started = "2026-12-02T11:00:00Z",
            CommandLine = [.. Awkward],
            Spec = new SpecRecord { Name = "sanet-tiny", File = "a: b.yaml", Sha256 = new string('f', 64), Classes = 6 },
            Dataset = new DatasetRecord
            {
                Kind = "folder",
                Root = "/data/# x",
                ClassNamesFrom = "--class-names /x/names.txt",
                ClassNames = [.. Awkward.Where(a => a.Length > 0)],
                Train = new SplitRecord { Description = "folder train (3 images, /data)", Images = 3 },
                Val = new SplitRecord { Description = "v", Images = 1 },
            },
            Device = "cpu: CPUAccelerator",
            Seed = ulong.MaxValue,
            Recipe = new RecipeRecord
            {
                Iterations = long.MaxValue,
                Batch = 8,
                Crop = 96,
                BaseLr = 0.1 + 0.2,
                ScaledLr = 1e-300,
                Power = 0.9,
                Momentum = 0.9,
                WeightDecay = 1e-4,
                ScaleMin = 0.5,
                ScaleMax = 2,
                Flip = false,
                ValEvery = 100,
                LogEvery = 10,
                CheckpointEvery = 50,
                StopAfter = 0,
                Pretrained = "r50.pth",
            },
            Resumes = [new ResumeRecord { Time = "t", CommandLine = ["train", "--resume"], FromIteration = 3, Iterations = 8, Device = "d", NetspecVersion = "v" }],
        };
        RunConfigFile.Write(dir["config.yaml"], config);
        RunConfig read = RunConfigFile.Read(dir["config.yaml"]);

        Assert.Equal(RunConfigFile.ToYaml(config), RunConfigFile.ToYaml(read));
        Assert.Equal(Awkward, read.CommandLine);
        string yaml = RunConfigFile.ToYaml(config);
        // Quoted as YAML 1.2's core schema requires (which YamlDotNet follows; yes/no are plain strings there).
        foreach (string word in new[] { "true", "False", "1e5", "0x10", "~", "null" })
            Assert.True(yaml.Contains($"- '{word}'\n") || yaml.Contains($"- \"{word}\"\n"), yaml);
        Assert.Equal(0.1 + 0.2, read.Recipe.BaseLr); // exactly: 0.30000000000000004
        Assert.Equal(1e-300, read.Recipe.ScaledLr);
        Assert.Equal((ulong.MaxValue, long.MaxValue), (read.Seed, read.Recipe.Iterations));
        Assert.Equal(3, Assert.Single(read.Resumes).FromIteration);
    }

    [Theory]
    [InlineData("seed: [1, 2\n", "not a config.yaml written by this sample")]
    [InlineData("recipe:\n  batch: many\n", ":2: not a config.yaml written by this sample")]
    [InlineData("", ": is empty or not a regular file")]
    public void RefusesWhatItDidNotWriteNamingTheFile(string text, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["config.yaml"], text);
        var e = Assert.Throws<CheckpointException>(() => RunConfigFile.Read(dir["config.yaml"]));
        Assert.StartsWith(dir["config.yaml"] + ":", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
