namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// How a released ResNet names its tensors, and the name each has in our <c>backbone.*</c>
/// (specs/segmentation-base.yaml). The bottlenecks (<c>layerI.J.conv1 … downsample.0/1</c>) are named alike in
/// all three; the stems differ:
/// <list type="bullet">
/// <item>torchvision ResNet-50/101: <c>conv1</c> 7×7 + <c>bn1</c>, our <c>stem: standard</c>.</item>
/// <item>PyTorch-Encoding resnet50s/101s: <c>conv1.0/.3/.6</c> convs, <c>conv1.1/.4</c> BNs and <c>bn1</c> for the
/// third conv (3→64→64→128); our deep stem's <c>stem.0/.3/.6</c>, <c>stem.1/.4/.7</c>, <c>stem_width: 64</c>.</item>
/// <item>mmcv/mmseg ResNetV1c: already <c>stem.0 … stem.7</c> (3→32→32→64), our deep stem with <c>stem_width: 32</c>.</item>
/// </list>
/// </summary>
public sealed record PretrainedLayout(string Name, string Marker, bool DeepStem, Func<string, string> ToOurs)
{
    public static readonly PretrainedLayout Torchvision = new("torchvision ResNet", "conv1.weight", false, key => key);

    public static readonly PretrainedLayout Encoding = new("PyTorch-Encoding ResNet-S", "conv1.0.weight", true, EncodingKey);

    public static readonly PretrainedLayout V1c = new("mmcv ResNetV1c", "stem.0.weight", true, key => key);

    public static readonly IReadOnlyList<PretrainedLayout> All = [Encoding, V1c, Torchvision];

    /// <summary>The layout whose marker tensor the file holds (deep-stem layouts first: they also have no <c>conv1.weight</c>).</summary>
    public static PretrainedLayout? Detect(IReadOnlyCollection<string> keys) => All.FirstOrDefault(l => keys.Contains(l.Marker));

    /// <summary>Our parameter name for a file's key (with <c>backbone.</c>; a key already under <c>backbone.</c> keeps it).</summary>
    public string OurName(string key) => key.StartsWith("backbone.", StringComparison.Ordinal) ? key : "backbone." + ToOurs(key);

    private static string EncodingKey(string key)
    {
        foreach (var (theirs, ours) in new[] { ("conv1.0.", "stem.0."), ("conv1.1.", "stem.1."), ("conv1.3.", "stem.3."), ("conv1.4.", "stem.4."), ("conv1.6.", "stem.6."), ("bn1.", "stem.7.") })
        {
            if (key.StartsWith(theirs, StringComparison.Ordinal))
                return ours + key[theirs.Length..];
        }

        return key;
    }
}
