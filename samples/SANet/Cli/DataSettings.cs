using System.ComponentModel;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>Options shared by the commands that read a dataset and a spec.</summary>
public class DataSettings : CommandSettings
{
    [CommandOption("--spec <FILE>")]
    [Description("Spec file (specs/*.yaml) compiled into this build; default: sanet-tiny.")]
    public string? Spec { get; init; }

    [CommandOption("--data <DIR>")]
    [Description("Dataset root; omit for the built-in synthetic data.")]
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

    [CommandOption("--device <DEVICE>")]
    [Description("auto, cuda, opencl or cpu.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";
}
