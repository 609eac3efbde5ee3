using NetSpec.Samples.SANet.Networks;

namespace NetSpec.SANet.Tests.Doubles;

/// <summary>Registers the test networks with the sample's registry and writes spec files naming them.</summary>
public static class TestNetworks
{
    public const string Six = "pixel-test-6";
    public const string TwentyOne = "pixel-test-21";
    public const string Diverging = "pixel-test-nan";

    static TestNetworks()
    {
        NetworkRegistry.Register(Six, d => new PixelNet(d, Six, 6));
        NetworkRegistry.Register(TwentyOne, d => new PixelNet(d, TwentyOne, 21));
        NetworkRegistry.Register(Diverging, d => new PixelNet(d, Diverging, 6) { NanFromForward = 3 });
    }

    /// <summary>Writes <c>{dir}/{name}.yaml</c> with its name line and returns the path.</summary>
    public static string SpecFile(string dir, string name)
    {
        string path = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(path, $"# test spec\nname: {name}\nclasses: 6\n");
        return path;
    }
}
