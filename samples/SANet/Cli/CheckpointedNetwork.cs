using NetSpec.Runtime;
using NetSpec.Samples.SANet.Checkpoints;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>Opens the device and the network a checkpoint was saved from (its metadata names the spec) and loads it.</summary>
public sealed class CheckpointedNetwork : IDisposable
{
    private readonly Device device;

    /// <summary>Loads the network, after checking that it fits the device at <paramref name="window"/>² (--window).</summary>
    public CheckpointedNetwork(string checkpoint, string? specPath, string deviceName, int window)
    {
        var (tensors, metadata) = SafeTensorsFile.Read(checkpoint);
        Metadata = metadata;
        var (spec, origin) = specPath is not null ? SpecFile.Resolve(specPath) : (null, checkpoint);
        string specName = spec?.Name
            ?? metadata.GetValueOrDefault("spec") ?? throw new UsageException($"{checkpoint}: names no spec in its metadata; pass --spec");
        device = Device.Create(deviceName);
        try
        {
            MemoryBudget.Check(specName, device, 1, window, training: false, $"--window {window}");
            Network = NetworkRegistry.Create(specName, spec?.ClassName, origin, device);
            CheckpointStore.LoadWeights(Network, tensors, checkpoint);
        }
        catch
        {
            Network?.Dispose();
            device.Dispose();
            throw;
        }
    }

    public INetwork Network { get; }

    /// <summary>The checkpoint's safetensors metadata (spec, iteration, …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public void Dispose()
    {
        Network.Dispose();
        device.Dispose();
    }
}
