using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// Trainable parameter counts compared with closed formulas derived from docs/sanet.md's tables (§1–§4, §6),
/// computed here without the compiler. BN contributes 2·C (weight, bias); running stats are buffers.
/// </summary>
public class MiddleParamCountTests
{
    private const int K = 59;

    private static long ConvBn(long cin, long cout, long k) => cin * cout * k * k + 2 * cout;

    private static long Bottleneck(long cin, long planes, bool downsample) =>
        ConvBn(cin, planes, 1) + ConvBn(planes, planes, 3) + ConvBn(planes, 4 * planes, 1)
        + (downsample ? ConvBn(cin, 4 * planes, 1) : 0);

    /// <summary>Dilated ResNet (dilation does not change parameters): stem + layer1..4.</summary>
    private static long ResNet(int[] blocks, bool deepStem)
    {
        long total = deepStem ? ConvBn(3, 64, 3) + ConvBn(64, 64, 3) + ConvBn(64, 128, 3) : ConvBn(3, 64, 7);
        long cin = deepStem ? 128 : 64;
        for (int s = 0; s < 4; s++)
        {
            long planes = 64L << s;
            total += Bottleneck(cin, planes, downsample: true);
            total += (blocks[s] - 1) * Bottleneck(4 * planes, planes, downsample: false);
            cin = 4 * planes;
        }

        return total;
    }

    private static long FcnHead => ConvBn(2048, 512, 3) + (512L * K + K);

    /// <summary>SA: main and attention branches, each conv3×3 BN ReLU · conv3×3 BN ReLU (C_in→C→C).</summary>
    private static long SaModule(long cin, long c) => 2 * (ConvBn(cin, c, 3) + ConvBn(c, c, 3));

    private static long SanetHead()
    {
        long total = 0;
        foreach (long cin in new long[] { 256, 512, 1024, 2048 })
            total += SaModule(cin, 256) + (256L * K + K);
        total += 4L * K * K + K; // mask conv1×1 4K→K with bias
        total += 4L * K * K + K; // categorical linear 4K→K with bias
        return total + FcnHead;
    }

    private static long Compiled(ExpandedSpec spec)
    {
        CompileResult result = SpecCompiler.Compile(spec);
        Assert.True(result.Network is not null, string.Join("\n", result.Diagnostics));
        return result.Network!.Graph.ParamCount;
    }

    [Fact]
    public void Standard_resnet50_without_fc_matches_torchvision()
    {
        // torchvision resnet50: 25,557,032 parameters, of which fc (2048·1000 + 1000) = 2,049,000.
        Assert.Equal(25_557_032 - 2_049_000, ResNet(new[] { 3, 4, 6, 3 }, deepStem: false));
        var c = MiddleNetworks.FcnR50 with { DeepStem = false };
        Assert.Equal(ResNet(new[] { 3, 4, 6, 3 }, false) + FcnHead, Compiled(MiddleNetworks.Build(c)));
    }

    [Fact]
    public void Fcn_r50_parameter_count_matches_formula()
    {
        long expected = ResNet(new[] { 3, 4, 6, 3 }, deepStem: true) + FcnHead;
        Assert.Equal(expected, Compiled(MiddleNetworks.Build(MiddleNetworks.FcnR50)));
        // By hand: deep-stem dilated ResNet-50 23,631,808 + FCNHead (9,437,184 + 1,024 + 30,267) = 33,100,283.
        Assert.Equal(33_100_283, expected);
    }

    [Fact]
    public void Sanet_r50_parameter_count_matches_formula()
    {
        long expected = ResNet(new[] { 3, 4, 6, 3 }, deepStem: true) + SanetHead();
        Assert.Equal(expected, Compiled(MiddleNetworks.Build(MiddleNetworks.SanetR50)));
        Assert.Equal(55_610_405, expected);
    }

    [Fact]
    public void Sanet_r101_parameter_count_matches_formula()
    {
        long expected = ResNet(new[] { 3, 4, 23, 3 }, deepStem: true) + SanetHead();
        Assert.Equal(expected, Compiled(MiddleNetworks.Build(MiddleNetworks.SanetR101)));
        Assert.Equal(74_602_533, expected);
    }
}
