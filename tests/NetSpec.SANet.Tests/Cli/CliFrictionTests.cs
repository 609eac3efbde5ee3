using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetSpec.Dsl.Reports;
using NetSpec.Samples.SANet.Cli;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Data.Disk;
using NetSpec.Samples.SANet.Networks;
using NetSpec.Samples.SANet.Training;
using NetSpec.SANet.Tests.Data;
using NetSpec.SANet.Tests.Doubles;
using Spectre.Console.Cli;
using Spectre.Console.Rendering;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>The frictions a new user met (issue 14 §3), each tried as the user tried it.</summary>
public class CliFrictionTests
{
    private static readonly string[] Commands = ["train", "eval", "predict", "info", "profile", "baseline"];

    // --- README's `train --data ~/data/VOCdevkit --dataset voc`: the default spec had 6 classes.

    [Fact]
    public void TrainOnVocWithoutSpecTakesTheVocSpecAndSaysSo()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir["data"], train: 2, val: 1, width: 40, height: 40);
        var (options, defaults) = TrainCommand.Resolve(new TrainSettings { Data = dir["data/VOCdevkit"], Dataset = "voc" });
        Assert.Equal("sanet-tiny-voc", options.SpecName);
        Assert.Equal(0.0001, options.BaseLr);
        Assert.Equal("defaults for --dataset voc: spec sanet-tiny-voc (21 classes), base lr 0.0001 (scaled by batch/16), 50 epochs = 13 iterations, crop 480, scale 0.5–2", defaults);
    }

    /// <summary>README's command as a user runs it (shortened), through the real generated network.</summary>
    [Fact]
    public void ReadmeVocCommandTrains()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir["data"], train: 2, val: 1, width: 40, height: 40);
        var (code, output, error) = CliRunner.RunProcess("train", "--data", dir["data/VOCdevkit"], "--dataset", "voc", "--device", "cpu",
            "--iters", "1", "--batch", "2", "--crop", "32", "--work-dir", dir["work"]);
        Assert.True(code == 0, error + output);
        Assert.StartsWith("defaults for --dataset voc: spec sanet-tiny-voc (21 classes), base lr 0.0001", output, StringComparison.Ordinal);
        Assert.Contains("sanet-tiny-voc on cpu", output);
        Assert.Equal("sanet-tiny-voc", NetSpec.Runtime.Weights.SafeTensorsFile.Read(dir["work/last.safetensors"]).Metadata["spec"]);
    }

    [Fact]
    public void ASpecWithOtherClassesNamesTheSpecToPass()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir["data"], train: 1, val: 1, width: 16, height: 16);
        var (code, _, error) = CliRunner.Run("train", "--spec", "sanet-tiny", "--data", dir["data"], "--iters", "1", "--device", "cpu", "--work-dir", dir["work"]);
        Assert.Equal(2, code);
        Assert.Contains("--spec sanet-tiny: sanet-tiny predicts 6 classes but voc train (1 image,", error);
        Assert.EndsWith("has 21; pass --spec sanet-tiny-voc", error.Trim(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir["work"]));
    }

    [Fact]
    public void AFolderDatasetWithAClassCountNoSpecHasSaysHowToMakeOne()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["data/images/a.png"], 16, 16, 10);
        TestImages.GreyLabel(dir["data/labels/a.png"], 16, 16, new byte[16 * 16]);
        var error = Assert.Throws<UsageException>(() => TrainCommand.Resolve(new TrainSettings { Data = dir["data"], Dataset = "folder", Classes = 7 }));
        Assert.Contains("no default spec has 7 classes; no spec compiled into this build has 7 classes: add one to samples/SANet/Specs/", error.Message);
    }

    [Fact]
    public void FolderDatasetsStateTheirDefaultLr()
    {
        using var dir = new TempDir();
        TestImages.Png(dir["data/images/a.png"], 16, 16, 10);
        TestImages.GreyLabel(dir["data/labels/a.png"], 16, 16, new byte[16 * 16]);
        var (options, defaults) = TrainCommand.Resolve(new TrainSettings { Data = dir["data"], Dataset = "folder", Classes = 6 });
        Assert.Equal("sanet-tiny", options.SpecName);
        Assert.Contains("base lr 0.0001 (scaled by batch/16)", defaults);
        Assert.Contains("0.0001 voc, voc-aug and folder", Flat(Help("train"))); // the help wraps at 80 columns when redirected
    }

    [Fact]
    public void TheRunsFirstLineStatesTheDefaultsItTook()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (code, output, error) = CliRunner.Run("train", "--spec", spec, "--iters", "2", "--batch", "2", "--crop", "32", "--val-every", "100",
            "--device", "cpu", "--work-dir", dir["work"]);
        Assert.True(code == 0, error);
        Assert.Equal("defaults for the built-in data: base lr 0.02 (scaled by batch/16), scale 0.75–1.5", output.Split('\n')[0]);

        // Resumed, the recorded recipe holds: the first line is what resuming does.
        var extended = CliRunner.Run("train", "--spec", spec, "--iters", "3", "--batch", "2", "--crop", "32", "--val-every", "100",
            "--device", "cpu", "--work-dir", dir["work"], "--resume");
        Assert.True(extended.Code == 0, extended.Error);
        Assert.StartsWith("extending the run from 2 to 3 iterations; the poly lr schedule is recomputed over 3", extended.Out, StringComparison.Ordinal);
    }

    // --- --spec takes names; info has a default spec.

    [Fact]
    public void SpecNamesWorkAsWellAsPaths()
    {
        var (byName, origin) = SpecFile.Resolve("sanet-tiny-voc");
        Assert.Equal(21, byName.NumClasses);
        Assert.Equal("samples/SANet/Specs/sanet-tiny-voc.yaml (compiled into this build)", origin);
        Assert.Equal("sanet-tiny", SpecFile.Resolve("sanet-tiny.yaml").Spec.Name);
        Assert.Equal("sanet-r50", SpecFile.Resolve("specs/sanet-r50.yaml").Spec.Name); // the repository path, from any folder
        var (_, fromFile) = SpecFile.Resolve(RepoFiles.Path("specs/sanet-tiny.yaml"));
        Assert.Equal(RepoFiles.Path("specs/sanet-tiny.yaml"), fromFile);

        var (code, output, error) = CliRunner.Run("info", "--spec", "sanet-tiny-voc", "--size", "96");
        Assert.True(code == 0, error);
        Assert.Contains("sanet-tiny-voc at 1×3×96×96", output);
    }

    [Fact]
    public void AnUnknownSpecNameListsTheCompiledOnes()
    {
        var (code, _, error) = CliRunner.Run("info", "--spec", "sanet-tinyy");
        Assert.Equal(2, code);
        Assert.Contains("sanet-tinyy: no such spec file, and no spec of that name is compiled into this build; give a spec file or one of ", error);
        Assert.Contains("sanet-tiny-voc", error);
    }

    [Fact]
    public void InfoWithoutSpecReportsTheDefaultSpec()
    {
        var (code, output, error) = CliRunner.Run("info", "--size", "96");
        Assert.True(code == 0, error);
        Assert.Contains("sanet-tiny at 1×3×96×96", output);
    }

    // --- info piped: no wrapping at 80 columns; --json, --csv.

    [Fact]
    public void InfoPipedKeepsEachNodeOnOneLine()
    {
        var (code, output, error) = CliRunner.Run("info", "--spec", "sanet-r50", "--size", "64");
        Assert.True(code == 0, error);
        SpecReport report = SpecReport.Build(SpecFile.Resolve("sanet-r50").Spec, 1, 64, 64, out _)!;
        string[] lines = output.Split('\n');
        foreach (ReportRow row in report.Rows)
            Assert.Contains(lines, l => l.Contains(row.Name, StringComparison.Ordinal) && l.Contains(string.Join("×", row.Shape), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Length > 80);
        Assert.DoesNotContain(lines, l => l.EndsWith(' '));
    }

    [Fact]
    public void InfoJsonAndCsvCarryEveryNode()
    {
        SpecReport report = SpecReport.Build(SpecFile.Resolve("sanet-tiny").Spec, 2, 96, 96, out _)!;
        var json = CliRunner.Run("info", "--size", "96", "--batch", "2", "--json");
        Assert.True(json.Code == 0, json.Error);
        using JsonDocument doc = JsonDocument.Parse(json.Out);
        Assert.Equal("sanet-tiny", doc.RootElement.GetProperty("spec").GetString());
        Assert.Equal(report.TotalParams, doc.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(report.Rows.Count, doc.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Equal(report.Rows[0].Shape, doc.RootElement.GetProperty("nodes")[0].GetProperty("output").EnumerateArray().Select(e => e.GetInt64()));

        var csv = CliRunner.Run("info", "--size", "96", "--batch", "2", "--csv");
        Assert.True(csv.Code == 0, csv.Error);
        string[] lines = csv.Out.TrimEnd().Split('\n');
        Assert.Equal("node,op,output,params,flops", lines[0]);
        Assert.Equal(report.Rows.Count + 1, lines.Length);
        ReportRow first = report.Rows[0];
        Assert.Equal($"{first.Name},{first.Op},{string.Join("x", first.Shape)},{first.Params},{first.Flops}", lines[1]);

        Assert.Equal(2, CliRunner.Run("info", "--json", "--csv").Code);
    }

    // --- baseline runs no network: --spec and --device are refused, not ignored.

    [Theory]
    [InlineData("--spec", "sanet-tiny")]
    [InlineData("--device", "cuda")]
    public void BaselineRefusesNetworkOptions(string option, string value)
    {
        var (code, output, error) = CliRunner.Run("baseline", option, value);
        Assert.Equal(2, code);
        Assert.Contains($"Unknown option '{option[2..]}'", error);
        Assert.Empty(output);
    }

    // --- help.

    [Fact]
    public void RootHelpListsCommandsNotTrainsOptions()
    {
        string root = Help();
        foreach (string command in Commands)
            Assert.Matches($@"(?m)^\s+{command}\s", root);
        Assert.DoesNotContain("--iters", root);
        Assert.DoesNotContain("--data", root);
        Assert.Contains("SANet COMMAND --help", root);
        Assert.Contains("--iters", Help("train"));
    }

    [Fact]
    public void HelpCitesOnlyFilesOfTheRepository()
    {
        string root = RepoFiles.Root();
        foreach (string command in Commands)
        {
            string help = Help(command);
            foreach (Match m in Regex.Matches(help, @"[\w./*-]+\.(md|yaml|yml)\b"))
            {
                string path = m.Value.TrimStart('.', '/');
                string folder = Path.Combine(root, Path.GetDirectoryName(path) ?? "");
                bool exists = path.Contains('*', StringComparison.Ordinal)
                    ? Directory.Exists(folder) && Directory.GetFiles(folder, Path.GetFileName(path)).Length > 0
                    : File.Exists(Path.Combine(root, path));
                Assert.True(exists, $"{command} --help cites {m.Value}, which is not in the repository");
            }
        }

        Assert.DoesNotContain("6 min", Help("train"));
    }

    /// <summary>An option with a value in the DEFAULT column does not repeat it in its description; every option says what it does.</summary>
    [Fact]
    public void EveryOptionIsDescribedAndItsDefaultShownOnce()
    {
        var options = typeof(SanetCli).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(p => p.GetCustomAttribute<CommandOptionAttribute>() is not null)
            .ToList();
        Assert.NotEmpty(options);
        foreach (PropertyInfo option in options)
        {
            string name = $"{option.DeclaringType!.Name}.{option.Name}";
            string? description = option.GetCustomAttribute<DescriptionAttribute>()?.Description;
            Assert.False(string.IsNullOrWhiteSpace(description), $"{name} has no description");
            if (option.GetCustomAttribute<DefaultValueAttribute>() is not null)
                Assert.DoesNotContain("default", description, StringComparison.OrdinalIgnoreCase);
        }
    }

    // --- progress.

    [Fact]
    public void EvalShowsProgressWithTimeLeft()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        Assert.Equal(0, CliRunner.Run("train", "--spec", spec, "--iters", "1", "--batch", "1", "--crop", "16", "--val-every", "100",
            "--work-dir", dir["work"], "--device", "cpu").Code);
        var (code, output, error) = CliRunner.Run("eval", "--checkpoint", dir["work/last.safetensors"], "--device", "cpu");
        Assert.True(code == 0, error);
        Assert.Matches(@"eval 50/100 images  \d+\.\d\d s/image  eta \d\d:\d\d:\d\d", output);
        Assert.DoesNotMatch(@"(?m)^\s*\d+/\d+\s*$", output);
    }

    [Fact]
    public void ValidationInsideTrainReportsItsProgress()
    {
        using var dir = new TempDir();
        string spec = TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        var (options, _) = TrainCommand.Resolve(new TrainSettings
        {
            Spec = spec,
            Iters = 2,
            Batch = 1,
            Crop = 16,
            ValEvery = 2,
            Device = "cpu",
            WorkDir = dir["work"],
            Set = ["val-limit=3"],
        });
        var reporter = new RecordingReporter();
        new Trainer(options, reporter).Run(CancellationToken.None);
        Assert.Equal([(1, 3), (2, 3), (3, 3)], reporter.Validation);
    }

    [Fact]
    public void CountsAgreeWithTheirNouns()
    {
        using var dir = new TempDir();
        TestImages.VocLayout(dir["data"], train: 1, val: 2, width: 16, height: 16);
        Assert.Contains("voc train (1 image, ", DatasetLayouts.Voc(dir["data"], train: true, augmented: false).Description);
        Assert.Contains("voc val (2 images, ", DatasetLayouts.Voc(dir["data"], train: false, augmented: false).Description);
        Assert.Equal("1 class", Counted.Of(1, "class", "classes"));
    }

    /// <summary>The text with every run of white space (a wrapped help line's break and indent) as one space.</summary>
    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static string Help(params string[] command)
    {
        var (code, output, error) = CliRunner.RunProcess([.. command, "--help"]);
        Assert.True(code == 0, error);
        return output;
    }

    private sealed class RecordingReporter : ITrainReporter
    {
        public List<(int Done, int Total)> Validation { get; } = [];

        public void Line(string text)
        {
        }

        public void Render(IRenderable table)
        {
        }

        public void Progress(long done, long total)
        {
        }

        public void ValidationProgress(int done, int total) => Validation.Add((done, total));
    }
}
