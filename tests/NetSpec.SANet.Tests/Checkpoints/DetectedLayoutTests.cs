using NetSpec.Samples.SANet.Training;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>Which layout and prefix a file's keys are read as (Training/DetectedLayout.cs).</summary>
public class DetectedLayoutTests
{
    /// <summary>Our backbone names of a one-block ResNet with either stem.</summary>
    private static readonly HashSet<string> Backbone =
    [
        "backbone.conv1.weight", "backbone.bn1.weight", "backbone.stem.0.weight", "backbone.stem.7.weight",
        "backbone.layer1.0.conv1.weight", "backbone.layer1.0.bn1.weight", "backbone.layer1.0.conv2.weight",
        "backbone.layer1.0.downsample.0.weight", "backbone.layer1.0.downsample.1.weight",
    ];

    [Theory]
    [InlineData("torchvision ResNet", "", "conv1.weight", "bn1.weight", "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.conv2.weight")]
    [InlineData("torchvision ResNet", "module.", "module.conv1.weight", "module.layer1.0.conv1.weight", "module.layer1.0.bn1.weight", "module.fc.weight")]
    [InlineData("mmcv ResNetV1c", "module.backbone.", "module.backbone.stem.0.weight", "module.backbone.layer1.0.conv1.weight", "module.decode_head.conv_seg.weight")]
    [InlineData("PyTorch-Encoding ResNet-S", "model.", "model.conv1.0.weight", "model.bn1.weight", "model.layer1.0.conv1.weight")]
    [InlineData("Hugging Face ResNet", "", "embedder.embedder.convolution.weight", "encoder.stages.0.layers.0.layer.0.convolution.weight")]
    [InlineData("Hugging Face ResNet", "resnet.", "resnet.embedder.embedder.convolution.weight", "resnet.encoder.stages.0.layers.0.shortcut.normalization.weight", "classifier.1.weight")]
    public void LayoutAndPrefixComeFromTheKeys(string layout, string prefix, params string[] keys)
    {
        DetectedLayout? detected = DetectedLayout.Detect(keys, Backbone);
        Assert.NotNull(detected);
        Assert.Equal((layout, prefix), (detected.Layout.Name, detected.Prefix));
    }

    /// <summary>A V1c file's bottleneck keys end in torchvision's marker too (layer1.0.conv1.weight): its stem decides.</summary>
    [Fact]
    public void BottleneckKeysEndingInAMarkerDoNotMakeAPrefix()
    {
        string[] keys = ["stem.0.weight", "stem.7.weight", "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.downsample.0.weight"];
        DetectedLayout detected = DetectedLayout.Detect(keys, Backbone)!;
        Assert.Equal(("mmcv ResNetV1c", ""), (detected.Layout.Name, detected.Prefix));
        Assert.Equal("backbone.layer1.0.downsample.0.weight", detected.OurName("layer1.0.downsample.0.weight"));
    }

    [Theory]
    [InlineData("embedder.embedder.convolution.weight", "conv1.weight")]
    [InlineData("embedder.embedder.normalization.running_var", "bn1.running_var")]
    [InlineData("encoder.stages.0.layers.0.shortcut.convolution.weight", "layer1.0.downsample.0.weight")]
    [InlineData("encoder.stages.3.layers.2.shortcut.normalization.num_batches_tracked", "layer4.2.downsample.1.num_batches_tracked")]
    [InlineData("encoder.stages.1.layers.3.layer.0.convolution.weight", "layer2.3.conv1.weight")]
    [InlineData("encoder.stages.2.layers.5.layer.2.normalization.bias", "layer3.5.bn3.bias")]
    [InlineData("encoder.stages.0.layers.0.layer.3.convolution.weight", null)]
    [InlineData("encoder.stages.0.layers.0.layer.0.activation.weight", null)]
    [InlineData("embedder.pooler.weight", null)]
    [InlineData("classifier.1.weight", null)]
    public void HuggingFaceNamesMapOneToOne(string theirs, string? ours) => Assert.Equal(ours, PretrainedLayout.HuggingFaceKey(theirs));

    [Fact]
    public void KeysWithoutAMarkerAreNoLayout() =>
        Assert.Null(DetectedLayout.Detect(["encoder.weight", "layer1.0.conv2.weight", "fc.weight"], Backbone));
}
