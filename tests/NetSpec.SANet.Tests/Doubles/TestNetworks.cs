using NetSpec.Samples.SANet.Networks;

namespace NetSpec.SANet.Tests.Doubles;

/// <summary>Registers the test networks with the sample's registry and writes spec files naming them.</summary>
public static class TestNetworks
{
    public const string Six = "pixel-test-6";
    public const string TwentyOne = "pixel-test-21";
    public const string Diverging = "pixel-test-nan";
    public const string StandardStem = "pixel-test-stem";

    static TestNetworks()
    {
        NetworkRegistry.Register(Six, d => new PixelNet(d, Six, 6));
        NetworkRegistry.Register(TwentyOne, d => new PixelNet(d, TwentyOne, 21));
        NetworkRegistry.Register(StandardStem, d => new PixelNet(d, StandardStem, 6, standardStem: true));
        NetworkRegistry.Register(Diverging, d => new PixelNet(d, Diverging, 6) { NanFromForward = 3 });
    }

    /// <summary>
    /// Writes <c>{dir}/{name}.yaml</c>: a real spec (sanet-tiny with this name and class count, the repo's
    /// specs copied beside it) so that the CLI's front-end check passes and the name picks the test network.
    /// </summary>
    public static string SpecFile(string dir, string name, int classes = 6)
    {
        foreach (string spec in Directory.GetFiles(RepoSpecs(), "*.yaml"))
            File.Copy(spec, Path.Combine(dir, Path.GetFileName(spec)), overwrite: true);
        string path = Path.Combine(dir, name + ".yaml");
        File.WriteAllText(path, $"extends: sanet-tiny.yaml\nname: {name}\nclasses: {classes}\n");
        return path;
    }

    private static string RepoSpecs() => RepoFiles.Path("specs");
}
