using System.ComponentModel;
using Spectre.Console.Cli;

namespace NetSpec.Samples.SANet.Cli;

public sealed class TrainSettings : DataSettings
{
    [CommandOption("--epochs <N>")]
    [Description("Epochs over the train split (converted to iterations).")]
    public int? Epochs { get; init; }

    [CommandOption("--iters <N>")]
    [Description("Iterations (default: 1000 on the built-in data, about 6 min on 2 CPU cores, 50 epochs on disk data).")]
    public long? Iters { get; init; }

    [CommandOption("--batch <N>")]
    [DefaultValue(8)]
    public int Batch { get; init; } = 8;

    [CommandOption("--crop <N>")]
    [Description("Training crop (default: 96 built-in, 480 on disk).")]
    public int? Crop { get; init; }

    [CommandOption("--lr <X>")]
    [Description("Base lr, scaled by batch/16; heads get their spec LrMult (10×). Default 0.02 on the built-in data " +
        "(higher than the paper's, so the demo learns in minutes from scratch), 0.001 Context, 0.0001 VOC.")]
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
    [DefaultValue(1UL)]
    public ulong Seed { get; init; } = 1;

    [CommandOption("--pretrained <FILE>")]
    [Description("ImageNet ResNet weights for the backbone (.pth/.pt of torch >= 1.6, or .safetensors F32/F16/BF16): PyTorch-Encoding resnet50s/101s (deep stem, the specs' default), mmcv ResNetV1c ('stem_width: 32', e.g. sanet-r50-v1c) or torchvision ('stem: standard', e.g. sanet-r50-standard).")]
    public string? Pretrained { get; init; }

    [CommandOption("--set <KEY=VALUE>")]
    [Description("Recipe override: momentum, weight-decay, power, scale-min, scale-max, flip, checkpoint-every, stop-after, val-limit (validate on the first N val images).")]
    public string[] Set { get; init; } = [];

    [CommandOption("--val-every <M>")]
    [Description("Validate every M iterations (default 100).")]
    [DefaultValue(100)]
    public int ValEvery { get; init; } = 100;

    [CommandOption("--log-every <N>")]
    [DefaultValue(10)]
    public int LogEvery { get; init; } = 10;
}
