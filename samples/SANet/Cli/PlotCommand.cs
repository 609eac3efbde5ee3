using System.ComponentModel;
using NetSpec.Samples.SANet.Records;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class PlotSettings : CommandSettings
{
    [CommandArgument(0, "<WORK_DIR>")]
    [Description("A train --work-dir (reads its run.jsonl, and config.yaml for the title).")]
    public string WorkDir { get; init; } = "";

    [CommandOption("--out <FILE>")]
    [Description("The PNG to write (default: WORK_DIR/curves.png).")]
    public string? Out { get; init; }

    [CommandOption("--force")]
    [Description("Replace --out if it exists.")]
    public bool Force { get; init; }

    [CommandOption("--width <PX>")]
    [Description("The image's width in pixels.")]
    [DefaultValue(1200)]
    public int Width { get; init; } = 1200;

    [CommandOption("--height <PX>")]
    [Description("The image's height in pixels.")]
    [DefaultValue(1000)]
    public int Height { get; init; } = 1000;
}

/// <summary><c>plot</c>: a run's curves (loss terms, lr, val mIoU against iteration) from its run.jsonl, as a PNG.</summary>
public sealed class PlotCommand : Command<PlotSettings>
{
    /// <summary>Below 200 pixels the three panels leave no room to draw; 8192 is the image cap of the rest of the CLI.</summary>
    public const int MinSize = 200;

    public override int Execute(CommandContext context, PlotSettings s, CancellationToken cancellationToken)
    {
        if (s.Width is < MinSize or > OptionRules.MaxSize)
            throw new UsageException($"--width {s.Width}: must be in {MinSize}..{OptionRules.MaxSize}");
        if (s.Height is < MinSize or > OptionRules.MaxSize)
            throw new UsageException($"--height {s.Height}: must be in {MinSize}..{OptionRules.MaxSize}");
        string output = Path.GetFullPath(s.Out ?? Path.Combine(s.WorkDir, "curves.png"));
        if (!output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--out {s.Out}: give a .png file name");
        if (Directory.Exists(output))
            throw new UsageException($"--out {output}: is a folder; give a .png file name");
        if (!s.Force && (File.Exists(output) || new FileInfo(output).LinkTarget is not null))
            throw new UsageException($"{output}: exists already; pass --force to replace it");

        RunCurves curves = RunCurves.Read(s.WorkDir);
        if (curves.Note is not null)
            Console.Error.WriteLine($"note: {curves.Note}");
        string? font = FontFile.Find();
        if (font is null)
            Console.Error.WriteLine("note: no TrueType font found (e.g. install fonts-dejavu-core): the plot has no text");
        if (!Directory.Exists(Path.GetDirectoryName(output)))
            throw new UsageException($"--out {output}: folder {Path.GetDirectoryName(output)} not found");
        OutputFile.Write(output, CurvesPlot.Png(curves, Title(s.WorkDir), s.Width, s.Height, font), s.Force);
        Console.WriteLine($"wrote {output} ({s.Width}×{s.Height}): {string.Join(", ", curves.Losses.Keys)} and lr over {curves.Lr.Count} logged iterations, val mIoU at {curves.MeanIou.Count} validations");
        return 0;
    }

    /// <summary>The spec and dataset from config.yaml when it reads, else the folder's name.</summary>
    private static string Title(string workDir)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(workDir)));
        string config = Path.Combine(workDir, RunConfigFile.FileName);
        try
        {
            RunConfig c = RunConfigFile.Read(config);
            return $"{name}: {c.Spec.Name} on {c.Dataset.Kind}, batch {c.Recipe.Batch}, crop {c.Recipe.Crop}, lr {c.Recipe.BaseLr:G3}";
        }
        catch (NetSpec.Runtime.Weights.CheckpointException)
        {
            return name;
        }
    }
}
