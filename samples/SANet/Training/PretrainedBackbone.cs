using NetSpec.Runtime;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// Loads an ImageNet backbone saved from torchvision's ResNet (<c>conv1.weight</c>, <c>layer1.0.conv1.weight</c>, …)
/// into <c>backbone.*</c>. torchvision's stem is conv7×7, so the spec must use <c>stem: standard</c>.
/// </summary>
public static class PretrainedBackbone
{
    private static bool IsBackbone(Parameter p) => p.Name.StartsWith("backbone.", StringComparison.Ordinal);

    /// <summary>Loads the matching keys; a file matching none is an error (training would start from random weights).</summary>
    public static (List<string> Missing, List<string> Unexpected) Load(INetwork network, string path)
    {
        Parameter? conv1 = network.Parameters.FirstOrDefault(p => p.Name == "backbone.conv1.weight");
        if (conv1 is null || !conv1.Shape.SequenceEqual(new[] { 64, 3, 7, 7 }))
        {
            throw new CheckpointException(
                $"{path}: torchvision ResNet weights need a spec with 'stem: standard' (backbone.conv1.weight of 64×3×7×7); {network.SpecName} has {(conv1 is null ? "no backbone.conv1.weight" : $"[{string.Join(",", conv1.Shape)}]")}");
        }

        var (tensors, _) = SafeTensorsFile.Read(path);
        var (missing, unexpected) = StateDict.Load(network, tensors, path, name => "backbone." + name, IsBackbone);
        if (missing.Count == network.Parameters.Count(IsBackbone))
        {
            throw new CheckpointException(
                $"{path}: none of its {tensors.Count} tensors matches a backbone parameter of {network.SpecName} (expected torchvision ResNet names such as conv1.weight, layer1.0.conv1.weight; found {string.Join(", ", unexpected.Take(3))}{(unexpected.Count > 3 ? ", …" : "")})");
        }

        return (missing, unexpected);
    }
}
