using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Tests;

public class MiddleShapeTests
{
    private static readonly IReadOnlyDictionary<string, int> At480 = TypedGraph.Sizes(1, 480, 480);

    [Theory]
    [InlineData(3, 2, 1, 1)] // stem conv, maxpool
    [InlineData(1, 2, 0, 1)] // downsample 1×1 s2
    [InlineData(3, 1, 2, 2)] // dilated 3×3
    [InlineData(2, 2, 0, 1)] // SA avgpool
    [InlineData(7, 2, 3, 1)]
    public void Window_formula_matches_pytorch_for_every_size(int k, int s, int p, int d)
    {
        Dim h = Dim.Sym("H").Window(k, s, p, d).Window(k, s, p, d); // two in a row exercise the merge
        for (int size = 8; size < 200; size++)
        {
            long once = (size + 2 * p - d * (k - 1) - 1) / s + 1;
            long twice = (once + 2 * p - d * (k - 1) - 1) / s + 1;
            Assert.Equal(twice, h.Eval(TypedGraph.Sizes(1, size, size)));
        }
    }

    [Fact]
    public void Stride_two_same_padding_reads_as_ceiling()
    {
        Dim h = Dim.Sym("H").Window(3, 2, 1, 1).Window(3, 2, 1, 1);
        Assert.Equal("⌈H/4⌉", h.ToString());
        Assert.Equal("(H + 3) / 4", h.ToCSharp(s => s));
        Assert.Equal("H/2", Dim.Sym("H").Window(2, 2, 0, 1).ToString());
    }

    [Fact]
    public void Sanet_r50_stage_shapes_follow_sanet_md_table()
    {
        TypedGraph graph = Compile(MiddleNetworks.Build(MiddleNetworks.SanetR50)).Graph;
        long[] Eval(string t) => Shape.Eval(graph.Tensor(t).Shape, At480);
        Assert.Equal(new long[] { 1, 128, 120, 120 }, Eval("backbone.maxpool"));
        Assert.Equal(new long[] { 1, 256, 120, 120 }, Eval("backbone.layer1.2.out"));
        Assert.Equal(new long[] { 1, 512, 60, 60 }, Eval("backbone.layer2.3.out"));
        Assert.Equal(new long[] { 1, 1024, 60, 60 }, Eval("backbone.layer3.5.out"));
        Assert.Equal(new long[] { 1, 2048, 60, 60 }, Eval("backbone.layer4.2.out"));
        Assert.Equal(new long[] { 1, 236, 60, 60 }, Eval("head.z"));
        Assert.Equal(new long[] { 1, 59, 480, 480 }, Eval("head.mask_up"));
        Assert.Equal(new long[] { 1, 59, 1, 1 }, Eval("head.cat"));
        Assert.Equal("(N,2048,⌈H/8⌉,⌈W/8⌉)", Shape.Format(graph.Tensor("backbone.layer4.2.out").Shape));
    }

    [Fact]
    public void Odd_input_sizes_keep_sa_resize_exact()
    {
        // SA resizes to the input's size (not by a factor): an odd stage size must not break the gate's add.
        CompiledNetwork net = Compile(MiddleNetworks.Build(MiddleNetworks.SanetTiny, 97, 131));
        var sizes = TypedGraph.Sizes(2, 97, 131);
        Assert.Equal(new long[] { 2, 16, 25, 33 }, Shape.Eval(net.Graph.Tensor("head.sa1.out").Shape, sizes));
    }

    [Fact]
    public void Parameters_have_pytorch_names_and_shapes()
    {
        TypedGraph graph = Compile(MiddleNetworks.Build(MiddleNetworks.SanetR50)).Graph;
        ParamInfo w = graph.Params.Single(p => p.Name == "backbone.layer2.0.b.conv.weight");
        Assert.Equal(new[] { 128, 128, 3, 3 }, w.Shape.ToArray());
        Assert.Equal(ParamKind.Weight, w.Kind);
        ParamInfo counter = graph.Params.Single(p => p.Name == "backbone.layer2.0.b.bn.num_batches_tracked");
        Assert.Equal(ParamKind.Counter, counter.Kind);
        Assert.Empty(counter.Shape);
        ParamInfo head = graph.Params.Single(p => p.Name == "head.cat.weight");
        Assert.Equal(new[] { 59, 236 }, head.Shape.ToArray());
        Assert.Equal(10.0, head.LrMult);
        Assert.True(head.WeightDecay);
        Assert.DoesNotContain(graph.Params, p => p.Name == "backbone.layer1.0.a.conv.bias");
    }

    internal static CompiledNetwork Compile(ExpandedSpec spec)
    {
        CompileResult result = SpecCompiler.Compile(spec);
        Assert.True(result.Network is not null, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Error);
        return result.Network!;
    }
}
