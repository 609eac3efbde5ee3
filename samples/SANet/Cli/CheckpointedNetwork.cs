using NetSpec.Runtime;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>
/// Opens the device and the network a checkpoint was saved from (its metadata names the spec) and loads it strictly
/// (<see cref="NetworkWeights.Load"/>: any missing, unexpected or mis-shaped tensor is one error naming them).
/// </summary>
public sealed class CheckpointedNetwork : IDisposable
{
    private readonly Device device;

    /// <summary>Loads the network, after checking that it fits the device at <paramref name="window"/>² (--window).</summary>
    public CheckpointedNetwork(string checkpoint, string? specPath, string deviceName, int window)
    {
        Metadata = NetworkWeights.ReadMetadata(checkpoint);
        var (spec, origin) = specPath is not null ? SpecFile.Resolve(specPath) : (null, checkpoint);
        string specName = spec?.Name
            ?? Metadata.SpecName ?? throw new UsageException($"{checkpoint}: names no spec in its metadata; pass --spec");
        device = Device.Create(deviceName);
        try
        {
            MemoryBudget.Check(specName, device, 1, window, training: false, $"--window {window}");
            Network = NetworkRegistry.Create(specName, spec?.ClassName, origin, device);
            NetworkWeights.Load(Network, checkpoint);
        }
        catch
        {
            Network?.Dispose();
            device.Dispose();
            throw;
        }
    }

    public INetwork Network { get; }

    /// <summary>What the checkpoint records: spec, training crop, class names.</summary>
    public CheckpointMetadata Metadata { get; }

    public string DeviceName => device.Name;

    public void Dispose()
    {
        Network.Dispose();
        device.Dispose();
    }
}
