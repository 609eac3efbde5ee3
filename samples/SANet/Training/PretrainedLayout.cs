namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// How a released ResNet names its tensors, and the name each has in our <c>backbone.*</c>
/// (specs/segmentation-base.yaml). The bottlenecks (<c>layerI.J.conv1 … downsample.0/1</c>) are named alike in
/// the first three; the stems differ:
/// <list type="bullet">
/// <item>torchvision ResNet-50/101 (and timm's <c>resnet50</c>): <c>conv1</c> 7×7 + <c>bn1</c>, our <c>stem: standard</c>.</item>
/// <item>PyTorch-Encoding resnet50s/101s: <c>conv1.0/.3/.6</c> convs, <c>conv1.1/.4</c> BNs and <c>bn1</c> for the
/// third conv (3→64→64→128); our deep stem's <c>stem.0/.3/.6</c>, <c>stem.1/.4/.7</c>, <c>stem_width: 64</c>.</item>
/// <item>mmcv/mmseg ResNetV1c: already <c>stem.0 … stem.7</c> (3→32→32→64), our deep stem with <c>stem_width: 32</c>.</item>
/// <item>Hugging Face transformers' ResNet (<c>microsoft/resnet-50</c>): <see cref="HuggingFaceKey"/>, torchvision's network
/// under other names (stride on the 3×3 conv as in ours, the <c>downsample_in_bottleneck: false</c> default).</item>
/// </list>
/// </summary>
/// <param name="ToOurs">The file's key (without its prefix) → our name without <c>backbone.</c>; null for a key the layout has no place for.</param>
public sealed record PretrainedLayout(string Name, string Marker, bool DeepStem, Func<string, string?> ToOurs)
{
    public static readonly PretrainedLayout Torchvision = new("torchvision ResNet", "conv1.weight", false, key => key);

    public static readonly PretrainedLayout Encoding = new("PyTorch-Encoding ResNet-S", "conv1.0.weight", true, EncodingKey);

    public static readonly PretrainedLayout V1c = new("mmcv ResNetV1c", "stem.0.weight", true, key => key);

    public static readonly PretrainedLayout HuggingFace = new("Hugging Face ResNet", "embedder.embedder.convolution.weight", false, HuggingFaceKey);

    /// <summary>Deep-stem layouts first: a file with <c>conv1.0.weight</c> has no <c>conv1.weight</c>, but the order settles ties.</summary>
    public static readonly IReadOnlyList<PretrainedLayout> All = [Encoding, V1c, HuggingFace, Torchvision];

    private static string EncodingKey(string key)
    {
        foreach (var (theirs, ours) in new[] { ("conv1.0.", "stem.0."), ("conv1.1.", "stem.1."), ("conv1.3.", "stem.3."), ("conv1.4.", "stem.4."), ("conv1.6.", "stem.6."), ("bn1.", "stem.7.") })
        {
            if (key.StartsWith(theirs, StringComparison.Ordinal))
                return ours + key[theirs.Length..];
        }

        return key;
    }

    /// <summary>
    /// transformers' modeling_resnet: <c>embedder.embedder.{convolution,normalization}</c> is the stem's conv1/bn1;
    /// <c>encoder.stages.I.layers.J.layer.K.{convolution,normalization}</c> is layer(I+1).J's conv(K+1)/bn(K+1) and
    /// <c>….shortcut.{convolution,normalization}</c> its downsample.0/1.
    /// </summary>
    public static string? HuggingFaceKey(string key)
    {
        const string stem = "embedder.embedder.";
        if (key.StartsWith(stem, StringComparison.Ordinal))
            return ConvOrNorm(key[stem.Length..], "conv1.", "bn1.");
        string[] parts = key.Split('.');
        // encoder . stages . I . layers . J . (layer . K | shortcut) . (convolution | normalization) . tensor
        if (parts.Length < 8 || parts[0] != "encoder" || parts[1] != "stages" || parts[3] != "layers"
            || !int.TryParse(parts[2], out int stage) || !int.TryParse(parts[4], out int block) || stage < 0 || block < 0)
        {
            return null;
        }

        string ours = $"layer{stage + 1}.{block}.";
        if (parts[5] == "shortcut")
            return ConvOrNorm(string.Join('.', parts[6..]), "downsample.0.", "downsample.1.") is string s ? ours + s : null;
        if (parts[5] == "layer" && int.TryParse(parts[6], out int k) && k is >= 0 and < 3)
            return ConvOrNorm(string.Join('.', parts[7..]), $"conv{k + 1}.", $"bn{k + 1}.") is string c ? ours + c : null;
        return null;
    }

    private static string? ConvOrNorm(string key, string conv, string norm) =>
        key == "convolution.weight" ? conv + "weight"
        : key.StartsWith("normalization.", StringComparison.Ordinal) ? norm + key["normalization.".Length..]
        : null;
}
