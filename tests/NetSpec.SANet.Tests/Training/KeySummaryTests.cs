using NetSpec.Samples.SANet.Training;

namespace NetSpec.SANet.Tests.Training;

/// <summary>--pretrained's report line: up to ten keys by name, more counted per module, every name with --verbose.</summary>
public class KeySummaryTests
{
    // backbone.layerL.B.convC.weight for blocks 0..blocks-1, conv 1..3, weight and bias: 6 keys a block, in file order
    private static IEnumerable<string> Layer(int layer, int blocks) =>
        from b in Enumerable.Range(0, blocks)
        from c in Enumerable.Range(1, 3)
        from role in new[] { "weight", "bias" }
        select $"backbone.layer{layer}.{b}.conv{c}.{role}";

    [Fact]
    public void Few_keys_are_named()
    {
        Assert.Equal("0", KeySummary.Of([], verbose: false));
        Assert.Equal("2 (fc.weight, fc.bias)", KeySummary.Of(["fc.weight", "fc.bias"], verbose: false));
        string[] ten = Layer(2, 2).Take(10).ToArray();
        Assert.Equal($"10 ({string.Join(", ", ten)})", KeySummary.Of(ten, verbose: false));
    }

    [Fact]
    public void Many_keys_are_counted_per_module_under_their_common_prefix()
    {
        string[] missing = [.. Layer(2, 4), .. Layer(3, 6), .. Layer(4, 2)];
        Assert.Equal("72 by module: backbone.layer2.* (24), backbone.layer3.* (36), backbone.layer4.* (12) (--verbose names each)", KeySummary.Of(missing, verbose: false));
    }

    [Fact]
    public void Keys_without_a_common_prefix_group_by_their_first_part_and_a_bare_key_stands_for_itself()
    {
        string[] unexpected = [.. Enumerable.Range(0, 10).Select(i => $"decode_head.conv{i}.weight"), "fc"];
        Assert.Equal("11 by module: decode_head.* (10), fc (1) (--verbose names each)", KeySummary.Of(unexpected, verbose: false));
    }

    [Fact]
    public void Past_eight_modules_the_rest_are_counted()
    {
        string[] keys = Enumerable.Range(0, 12).Select(i => $"m{i}.weight").ToArray();
        Assert.Equal("12 by module: m0.* (1), m1.* (1), m2.* (1), m3.* (1), m4.* (1), m5.* (1), m6.* (1), m7.* (1), … 4 more modules (--verbose names each)", KeySummary.Of(keys, verbose: false));
    }

    [Fact]
    public void Verbose_names_every_key()
    {
        string[] missing = Layer(3, 6).ToArray();
        Assert.Equal($"36 ({string.Join(", ", missing)})", KeySummary.Of(missing, verbose: true));
    }
}
