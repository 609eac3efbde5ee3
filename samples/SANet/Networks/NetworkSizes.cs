using NetSpec.Runtime;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// Prepares a network at a size an option chose (--crop, --window). The generated <c>Prepare</c> throws
/// <see cref="ArgumentException"/> for a size its spec cannot plan (a feature map with no pixels, e.g. a 7×7 input
/// through sanet-tiny's 16× downsampling); that becomes an <see cref="InputSizeException"/> naming the option.
/// </summary>
public static class NetworkSizes
{
    public static void Prepare(INetwork network, int batch, int size, bool training, string option)
    {
        try
        {
            network.Prepare(batch, size, size, training);
        }
        catch (ArgumentException e)
        {
            throw new InputSizeException($"{option} {size}: {e.Message.Split(" (Parameter")[0]}");
        }
    }
}

/// <summary>An input size (crop, window) the network's spec cannot plan; the message names the option.</summary>
public sealed class InputSizeException(string message) : Exception(message);
