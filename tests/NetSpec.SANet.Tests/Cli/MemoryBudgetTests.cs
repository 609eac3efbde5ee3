using NetSpec.Dsl;
using NetSpec.Runtime;
using NetSpec.Samples.SANet.Networks;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

public class MemoryBudgetTests
{
    /// <summary>
    /// sanet-tiny training at 8×3×96×96: the sum of the terms is the budget's whole need, to the byte. The planned arena
    /// peak is 38,574,592 bytes (the generated class's summary, tests/NetSpec.Generator.Tests/Snapshots/…SanetTiny.verified.cs):
    /// 36.8 MiB. The spec's 634,842 weights (with their BN buffers, each parameter at a multiple of 64 floats) as value,
    /// gradient and momentum are over 634,842 × 12 B = 7.3 MiB, the whole of the check's old estimate for them.
    /// </summary>
    [Fact]
    public void FitsWithExactlyThePlannedBytesAndNotOneLess()
    {
        var spec = SpecFile.Expand(RepoFiles.Path("specs/sanet-tiny.yaml"));
        using Device device = Device.Create("cpu");
        var terms = PlannedMemory.Terms(SpecCompiler.Compile(spec).Network!, device, 8, 96, training: true);
        long needed = terms.Sum(t => t.Bytes);
        MemoryBudget.Check(spec, device, 8, 96, training: true, available: needed, "--crop 96 --batch 8");
        var e = Assert.Throws<MemoryBudgetException>(() => MemoryBudget.Check(spec, device, 8, 96, training: true, available: needed - 1, "--crop 96 --batch 8"));
        Assert.StartsWith("--crop 96 --batch 8: sanet-tiny training at 8×3×96×96 plans ", e.Message);
        Assert.Contains("activations (training plan) 36.8 MiB", e.Message);
        foreach (string term in new[] { "parameter values ", "gradients ", "momentum ", "conv workspace ", "GEMM packing (per thread) ", "process (runtime, code) " })
            Assert.Contains(term, e.Message);
        Assert.True(terms.Where(t => t.Name is "parameter values" or "gradients" or "momentum").Sum(t => t.Bytes) > 634_842 * 12);
        Assert.Contains("largest tensors: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void SpecWith8192ChannelsNamesItsTermsLargestTensorsAndHeaviestNode()
    {
        using var dir = new TempDir();
        TestNetworks.SpecFile(dir.Path, TestNetworks.Six);
        // SANet info: 4,903,358,682 parameters; their values alone are 4,903,358,682 × 4 B = 18.3 GiB (at least: each is
        // aligned to 64 floats), and so are their gradients and momentum: over 54.8 GiB, more than 24 GiB.
        // (At 65,536 channels a single weight has more than 2^31 elements: the compiler refuses the spec, NS0028.)
        File.WriteAllText(dir["huge.yaml"], "extends: sanet-tiny.yaml\nname: huge\nclasses: 6\nparams: { channels: 8192 }\n");
        var spec = SpecFile.Expand(dir["huge.yaml"]);
        using Device device = Device.Create("cpu");
        var e = Assert.Throws<MemoryBudgetException>(() => MemoryBudget.Check(spec, device, 2, 32, training: true, available: 24L << 30, "--crop 32 --batch 2"));
        Assert.StartsWith("--crop 32 --batch 2: huge training at 2×3×32×32 plans ", e.Message);
        Assert.Matches(@"parameter values 18\.\d GiB, (gradients|momentum) 18\.\d GiB, (gradients|momentum) 18\.\d GiB", e.Message);
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
