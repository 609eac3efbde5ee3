using NetSpec.Dsl.Autodiff;
using NetSpec.Dsl.Scheduling;

namespace NetSpec.Dsl.Tests;

public class MiddleAutodiffTests
{
    /// <summary>x fans out to two convs whose outputs are added: the later-in-backward consumer adds to dx.</summary>
    private static CompiledNetwork FanOut()
    {
        var b = new MiddleSpecBuilder();
        string x = b.Conv("stem", "image", 4, 3, padding: 1);
        string l = b.Conv("left", x, 5, 1, bias: true);
        string r = b.Conv("right", x, 5, 1, bias: true);
        string y = b.Op("sum", "add", new[] { l, r });
        b.Output("logits", y);
        b.Op("loss", "softmax_cross_entropy", new[] { y, "labels" });
        b.Loss("ce", "loss", 1.0);
        return MiddleShapeTests.Compile(b.Build());
    }

    [Fact]
    public void Fan_out_gradient_is_written_once_then_accumulated()
    {
        BackwardPlan plan = FanOut().Backward;
        Assert.Equal(new[] { "loss", "sum", "right", "left", "stem" }, plan.Steps.Select(s => s.Forward.Head));
        GradTarget[] intoStem = plan.Steps.SelectMany(s => s.InputGrads).Where(g => g.Tensor == "stem").ToArray();
        Assert.Equal(new[] { false, true }, intoStem.Select(g => g.Accumulate));
        Assert.Equal("right", plan.Steps.Single(s => s.InputGrads.Contains(intoStem[0])).Forward.Head);
    }

    [Fact]
    public void Image_and_labels_get_no_gradient_and_losses_carry_their_weight()
    {
        BackwardPlan plan = FanOut().Backward;
        Assert.DoesNotContain("image", plan.GradTensors);
        Assert.DoesNotContain("labels", plan.GradTensors);
        BackwardStep stem = plan.Steps.Last();
        Assert.Empty(stem.InputGrads);
        BackwardStep loss = plan.Steps.First();
        Assert.True(loss.IsLoss);
        Assert.Equal(1.0, loss.LossWeight);
        Assert.Equal(new[] { new GradTarget(0, "sum", false) }, loss.InputGrads);
    }

    [Fact]
    public void Sanet_fuses_bn_relu_bn_add_relu_and_the_sa_gate_and_differentiates_their_inputs()
    {
        CompiledNetwork net = MiddleShapeTests.Compile(MiddleNetworks.Build(MiddleNetworks.SanetTiny));
        ForwardStep gate = net.Forward.Single(s => s.Head == "head.sa1.gate");
        Assert.Equal(StepKind.AttentionGate, gate.Kind);
        Assert.Equal(new[] { "head.sa1.attn_up", "head.sa1.res2.relu" }, gate.Inputs);
        Assert.Equal("head.sa1.out", gate.Output);
        Assert.Contains(net.Forward, s => s.Kind == StepKind.BatchNormRelu && s.Head == "backbone.stem1.bn");
        // a bottleneck's end, bn3 → add(bn3, shortcut) → relu, is one step where the add was (after the shortcut's conv + bn)
        ForwardStep end = net.Forward.Single(s => s.Head == "backbone.layer1.0.bn3");
        Assert.Equal(StepKind.BatchNormAddRelu, end.Kind);
        Assert.Equal(new[] { "backbone.layer1.0.bn3", "backbone.layer1.0.sum", "backbone.layer1.0.out" }, end.Nodes);
        Assert.Equal(new[] { "backbone.layer1.0.conv3", "backbone.layer1.0.downsample.1" }, end.Inputs);
        Assert.Equal("backbone.layer1.0.out", end.Output);
        Assert.True(end.Index > net.Forward.Single(s => s.Head == "backbone.layer1.0.downsample.1").Index);
        Assert.DoesNotContain(net.Forward, s => s.Nodes.Contains("backbone.layer1.0.downsample.1") && s.Kind != StepKind.Op);
        BackwardStep endBack = net.Backward.Steps.Single(s => s.Forward.Head == "backbone.layer1.0.bn3");
        Assert.Equal(new[] { "backbone.layer1.0.conv3", "backbone.layer1.0.downsample.1" }, endBack.InputGrads.Select(g => g.Tensor));
        BackwardStep back = net.Backward.Steps.Single(s => s.Forward.Head == "head.sa1.gate");
        Assert.Equal(new[] { "head.sa1.attn_up", "head.sa1.res2.relu" }, back.InputGrads.Select(g => g.Tensor));
        // c1 fans out into layer2 (conv a, downsample) and SA1 (res1, pool): one write, the rest add
        var intoC1 = net.Backward.Steps.SelectMany(s => s.InputGrads).Where(g => g.Tensor == "backbone.layer1.0.out").ToArray();
        Assert.Equal(4, intoC1.Length);
        Assert.Equal(1, intoC1.Count(g => !g.Accumulate));
        Assert.False(intoC1[0].Accumulate);
    }

    [Fact]
    public void Every_gradient_is_written_before_it_is_added_to_or_read()
    {
        CompiledNetwork net = MiddleShapeTests.Compile(MiddleNetworks.Build(MiddleNetworks.SanetR50));
        var written = new HashSet<string>();
        foreach (BackwardStep step in net.Backward.Steps)
        {
            if (!step.IsLoss)
                Assert.Contains(step.Forward.Output, written); // its output gradient exists
            foreach (GradTarget g in step.InputGrads)
                Assert.Equal(written.Contains(g.Tensor), g.Accumulate);
            foreach (GradTarget g in step.InputGrads)
                written.Add(g.Tensor);
        }
    }
}
