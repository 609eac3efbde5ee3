using NetSpec.Samples.SANet.Networks;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class MemoryBudgetTests
{
    /// <summary>
    /// sanet-tiny training at 8×3×96×96: the planned arena peak is 38,574,592 bytes and the spec has 634,842 parameters
    /// (both in the generated class's summary, tests/NetSpec.Generator.Tests/Snapshots/…SanetTiny.verified.cs), each
    /// with a value, a gradient and a momentum of 4 bytes: 38,574,592 + 634,842 × 12 = 46,192,696 bytes in all.
    /// </summary>
    private const long Needed = 38_574_592 + (634_842 * 12);

    [Fact]
    public void FitsWithExactlyThePlannedBytesAndNotOneLess()
    {
        var spec = SpecFile.Expand(RepoFiles.Path("specs/sanet-tiny.yaml"));
        MemoryBudget.Check(spec, 8, 96, training: true, available: Needed, "--crop 96 --batch 8");
        var e = Assert.Throws<MemoryBudgetException>(() => MemoryBudget.Check(spec, 8, 96, training: true, available: Needed - 1, "--crop 96 --batch 8"));
        Assert.StartsWith("--crop 96 --batch 8: sanet-tiny training at 8×3×96×96 plans 44.1 MiB (7.3 MiB parameters", e.Message);
        Assert.Contains("largest tensors: ", e.Message);
    }

    [Fact]
    public void SpecWith8192ChannelsNamesItsLargestTensorsAndHeaviestNode()
    {
        using var dir = new TempDir();
        TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        // SANet info: 4,903,358,682 parameters; with gradient and momentum 4,903,358,682 × 12 B = 54.8 GiB, over 24 GiB.
        // (At 65,536 channels a single weight has more than 2^31 elements: the compiler refuses the spec, NS0028.)
        File.WriteAllText(dir["huge.yaml"], "extends: sanet-tiny.yaml\nname: huge\nclasses: 6\nparams: { channels: 8192 }\n");
        var spec = SpecFile.Expand(dir["huge.yaml"]);
        var e = Assert.Throws<MemoryBudgetException>(() => MemoryBudget.Check(spec, 2, 32, training: true, available: 24L << 30, "--crop 32 --batch 2"));
        Assert.StartsWith("--crop 32 --batch 2: huge training at 2×3×32×32 plans ", e.Message);
        Assert.Contains("(54.8 GiB parameters with gradients and momentum", e.Message);
        // 2 × 8192 × 8 × 8 floats × 4 B = 4.0 MiB
        Assert.Contains("more than the 24.0 GiB the device has; largest tensors: head.sa1.conv_res.0 2×8192×8×8 (4.0 MiB)", e.Message);
        Assert.Contains("most parameters: head.sa1.conv_res.3 (603,979,776)", e.Message); // 8192² × 3 × 3
    }

    [Fact]
    public void CompiledSpecsAreFoundByName()
    {
        Assert.Equal(6, EmbeddedSpecs.Find("sanet-tiny")?.NumClasses);
        Assert.Equal(21, EmbeddedSpecs.Find("sanet-tiny-voc")?.NumClasses); // extends ../../../specs/sanet-tiny.yaml among the resources
        Assert.Null(EmbeddedSpecs.Find(TestNetworks.Six));
    }
}
