namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// A file's <see cref="PretrainedLayout"/> and the prefix its ResNet keys sit under: none for a bare ImageNet
/// state_dict, <c>module.</c> for one saved from DataParallel/DistributedDataParallel, <c>backbone.</c> for an
/// mmseg/mmdet segmentor (its heads then sit beside it), <c>resnet.</c> for transformers'
/// ResNetForImageClassification, or any other. Keys outside the prefix are unexpected, as in PyTorch's strict=False.
/// </summary>
public sealed record DetectedLayout(PretrainedLayout Layout, string Prefix)
{
    /// <summary>"mmcv ResNetV1c under 'backbone.'"; the layout's name alone without a prefix.</summary>
    public string Description => Prefix.Length == 0 ? Layout.Name : $"{Layout.Name} under '{Prefix}'";

    /// <summary>Our parameter name (with <c>backbone.</c>) for a file's key; null outside the prefix or the layout.</summary>
    public string? OurName(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && Layout.ToOurs(key[Prefix.Length..]) is string ours ? "backbone." + ours : null;

    /// <summary>
    /// Every (layout, prefix) whose marker the keys hold, as <c>PREFIX + marker</c>; the one that names the most of
    /// <paramref name="backbone"/> wins (a marker also ends other keys: <c>layer1.0.conv1.weight</c> ends in
    /// torchvision's <c>conv1.weight</c>), ties going to the earlier layout in <see cref="PretrainedLayout.All"/>, then
    /// the shorter prefix. Null when no key is a marker.
    /// </summary>
    public static DetectedLayout? Detect(IReadOnlyList<string> keys, IReadOnlySet<string> backbone)
    {
        var candidates = new List<DetectedLayout>();
        foreach (PretrainedLayout layout in PretrainedLayout.All)
        {
            foreach (string key in keys)
            {
                if (key == layout.Marker || key.EndsWith("." + layout.Marker, StringComparison.Ordinal))
                    candidates.Add(new DetectedLayout(layout, key[..^layout.Marker.Length]));
            }
        }

        var layouts = PretrainedLayout.All.ToList();
        return candidates.Distinct()
            .OrderByDescending(c => keys.Count(k => c.OurName(k) is string n && backbone.Contains(n)))
            .ThenBy(c => layouts.IndexOf(c.Layout)).ThenBy(c => c.Prefix.Length)
            .FirstOrDefault();
    }
}
