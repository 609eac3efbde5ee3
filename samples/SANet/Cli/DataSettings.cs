using System.ComponentModel;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>The dataset options (baseline has these alone: it runs no network).</summary>
public class DatasetSettings : CommandSettings
{
    [CommandOption("--data <DIR>")]
    [Description("Dataset root; omit for the built-in synthetic data (6 classes, no download).")]
    public string? Data { get; init; }

    [CommandOption("--dataset <KIND>")]
    [Description("voc, voc-aug, context or folder (default: voc when --data is given).")]
    public string? Dataset { get; init; }

    [CommandOption("--classes <N>")]
    [Description("Number of classes of a --dataset folder (ids 0..N-1, 255 = ignore).")]
    public int? Classes { get; init; }

    [CommandOption("--class-names <FILE>")]
    [Description("Class names, one a line in class-id order (count = the spec's classes). Default: built in for the built-in data, VOC and Context; classes.txt in a folder dataset's root; else class0, class1, …")]
    public string? ClassNames { get; init; }
}

/// <summary>Options shared by the commands that read a dataset and run a spec on a device.</summary>
public class DataSettings : DatasetSettings
{
    [CommandOption("--spec <SPEC>")]
    [Description("A spec compiled into this build, by name (sanet-tiny, sanet-tiny-voc, sanet-r50, …) or file (specs/*.yaml). " +
        "Default: train takes the one with the dataset's classes (sanet-tiny built-in, sanet-tiny-voc voc and voc-aug, sanet-r50 context); eval the checkpoint's.")]
    public string? Spec { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("auto, cuda, opencl or cpu.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";
}
