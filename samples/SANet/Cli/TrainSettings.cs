using System.ComponentModel;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class TrainSettings : DataSettings
{
    [CommandOption("--epochs <N>")]
    [Description("Epochs over the train split, converted to iterations (default on disk data: 50, context 80).")]
    public int? Epochs { get; init; }

    [CommandOption("--iters <N>")]
    [Description("Iterations (default: 1000 on the built-in data, about a minute on 2 CPU cores; the --epochs default on disk data). With --resume: the run's new total, which extends a finished run.")]
    public long? Iters { get; init; }

    [CommandOption("--batch <N>")]
    [Description("Images per iteration.")]
    [DefaultValue(8)]
    public int Batch { get; init; } = 8;

    [CommandOption("--crop <N>")]
    [Description("Training crop (default: 96 built-in, 480 on disk).")]
    public int? Crop { get; init; }

    [CommandOption("--lr <X>")]
    [Description("Base lr, scaled by batch/16; heads get their spec's LrMult (10×). Default per dataset: 0.02 built-in " +
        "(higher than the paper's, so the demo learns from scratch in a minute), 0.001 context, 0.0001 voc, voc-aug and folder " +
        "(the paper's VOC fine-tuning rate: raise it to train a folder dataset from scratch). The run's first line says which defaults it took.")]
    public double? Lr { get; init; }

    [CommandOption("--work-dir <DIR>")]
    [Description("Checkpoints go here (default: work-dirs/<spec>).")]
    public string? WorkDir { get; init; }

    [CommandOption("--resume")]
    [Description("Continue the run in --work-dir exactly where it stopped (weights, momentum, schedule, data order); the recipe must match the recorded one, --iters N extends it.")]
    public bool Resume { get; init; }

    [CommandOption("--force")]
    [Description("Start a fresh run even if --work-dir holds one: its last*.safetensors and best.safetensors are replaced.")]
    public bool Force { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Seed of the initial weights, data order, augmentation and dropout.")]
    [DefaultValue(1UL)]
    public ulong Seed { get; init; } = 1;

    [CommandOption("--pretrained <FILE>")]
    [Description("ImageNet ResNet weights for the backbone (.pth/.pt of torch >= 1.6, or .safetensors F32/F16/BF16): PyTorch-Encoding resnet50s/101s (deep stem, the specs' default), mmcv ResNetV1c ('stem_width: 32', e.g. sanet-r50-v1c) or torchvision ('stem: standard', e.g. sanet-r50-standard).")]
    public string? Pretrained { get; init; }

    [CommandOption("--verbose")]
    [Description("Name every missing and unexpected --pretrained tensor (by default more than 10 are counted per module).")]
    public bool Verbose { get; init; }

    [CommandOption("--set <KEY=VALUE>")]
    [Description("Recipe override: momentum, weight-decay, power, scale-min, scale-max, flip, checkpoint-every, stop-after, val-limit (validate on the first N val images).")]
    public string[] Set { get; init; } = [];

    [CommandOption("--val-every <M>")]
    [Description("Validate every M iterations, and at the end.")]
    [DefaultValue(100)]
    public int ValEvery { get; init; } = 100;

    [CommandOption("--log-every <N>")]
    [Description("Log a line every N iterations, and at the end.")]
    [DefaultValue(10)]
    public int LogEvery { get; init; } = 10;
}
