using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Training;

/// <summary>What loading a pretrained file did, as PyTorch's <c>load_state_dict(strict=False)</c> reports it.</summary>
/// <param name="Layout">The layout's name (<see cref="PretrainedLayout.Name"/>).</param>
/// <param name="Prefix">What the file's ResNet keys start with ("" for none, "module.", "backbone.", …).</param>
public sealed record PretrainedReport(string Layout, string Prefix, int Loaded, List<string> Missing, List<string> Unexpected)
{
    /// <summary>The layout and, when there is one, the prefix: "mmcv ResNetV1c under 'backbone.'".</summary>
    public string Detected => Prefix.Length == 0 ? Layout : $"{Layout} under '{Prefix}'";
}

/// <summary>
/// Loads an ImageNet backbone into <c>backbone.*</c> from a PyTorch zip checkpoint (.pth/.pt, <see cref="TorchZipFile"/>)
/// or a safetensors file (F32, F16, BF16), in one of the <see cref="PretrainedLayout"/>s, bare or under a prefix
/// (<see cref="DetectedLayout"/>). Shape mismatches stop the
/// load naming the tensor; a file that fills no backbone parameter is an error.
/// </summary>
public static class PretrainedBackbone
{
    private static bool IsBackbone(Parameter p) => p.Name.StartsWith("backbone.", StringComparison.Ordinal);

    public static List<SafeTensorEntry> ReadTensors(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: file not found");
        byte[] head = new byte[4];
        try
        {
            using var stream = File.OpenRead(path);
            head = head[..stream.Read(head)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{path}: cannot read ({e.Message})");
        }

        if (TorchZipFile.LooksLikeZip(head))
            return TorchZipFile.Read(path);
        if (TorchZipFile.LooksLikeLegacy(head))
            throw new CheckpointException($"{path}: PyTorch's legacy (pre-1.6) format is not read; re-save it with torch.save(torch.load(f), f2) from torch >= 1.6, or as safetensors");
        using SafeTensorsReader reader = SafeTensorsReader.Open(path);
        return reader.ReadAll();
    }

    public static PretrainedReport Load(INetwork network, string path)
    {
        List<SafeTensorEntry> tensors = ReadTensors(path);
        var backbone = network.Parameters.Where(IsBackbone).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        DetectedLayout detected = DetectedLayout.Detect(tensors.Select(t => t.Name).ToList(), backbone)
            ?? throw new CheckpointException(
                $"{path}: none of its {tensors.Count} tensors matches a backbone parameter of {network.SpecName} (expected ResNet names such as {string.Join(", ", PretrainedLayout.All.Select(l => l.Marker))}, bare or under a prefix such as module. or backbone.; found {string.Join(", ", tensors.Take(3).Select(t => t.Name))}{(tensors.Count > 3 ? ", …" : "")})");
        PretrainedLayout layout = detected.Layout;

        bool deep = network.Parameters.Any(p => p.Name == "backbone.stem.0.weight");
        bool standard = network.Parameters.Any(p => p.Name == "backbone.conv1.weight");
        if (layout.DeepStem ? !deep : !standard)
        {
            throw new CheckpointException(
                $"{path}: {layout.Name} weights need a spec with 'stem: {(layout.DeepStem ? "deep" : "standard")}' (backbone.{(layout.DeepStem ? "stem.0" : "conv1")}.weight); {network.SpecName} has none");
        }

        // keys outside the prefix or the layout (an mmseg checkpoint's heads, ImageNet's fc) are unexpected as they are
        var ours = tensors.Where(t => detected.OurName(t.Name) is not null).ToList();
        foreach (SafeTensorEntry t in ours)
            SafeTensorsFile.RefuseNonFinite(path, t); // safetensors checked this already; a .pth has not
        var (missing, unexpectedOurs) = StateDict.Load(network, ours, path, name => detected.OurName(name)!, IsBackbone);
        var unexpectedNames = unexpectedOurs.ToHashSet(StringComparer.Ordinal);
        List<string> unexpected = tensors.Where(t => detected.OurName(t.Name) is null || unexpectedNames.Contains(t.Name)).Select(t => t.Name).ToList();
        int loaded = tensors.Count - unexpected.Count;
        if (loaded == 0)
            throw new CheckpointException($"{path}: none of its {tensors.Count} tensors ({detected.Description}) matches a backbone parameter of {network.SpecName}");
        return new PretrainedReport(layout.Name, detected.Prefix, loaded, missing, unexpected);
    }
}
