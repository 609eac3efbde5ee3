using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Reports;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Tests;

public class MiddlePlanTests
{
    public static TheoryData<string, int, int, int> Cases => new()
    {
        { "sanet-r50", 1, 480, 480 },
        { "sanet-r50", 2, 97, 131 },
        { "fcn-r50", 4, 64, 64 },
        { "sanet-tiny", 3, 33, 47 },
    };

    private static CompiledNetwork Net(string name) => MiddleShapeTests.Compile(MiddleNetworks.Build(name switch
    {
        "sanet-r50" => MiddleNetworks.SanetR50,
        "fcn-r50" => MiddleNetworks.FcnR50,
        _ => MiddleNetworks.SanetTiny,
    }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_two_live_buffers_overlap_and_peak_is_at_most_the_sum(string spec, int n, int h, int w)
    {
        CompiledNetwork net = Net(spec);
        foreach (MemoryPlan plan in new[] { net.InferencePlan, net.TrainingPlan })
        {
            var sizes = TypedGraph.Sizes(n, h, w);
            (long[] offsets, long peak) = plan.Place(sizes);
            long[] length = MemoryPlan.Sizes(plan.Buffers, sizes);
            for (int i = 0; i < plan.Buffers.Count; i++)
            {
                Assert.True(offsets[i] % MemoryPlan.Alignment == 0);
                Assert.True(offsets[i] + length[i] <= peak);
                for (int j = i + 1; j < plan.Buffers.Count; j++)
                {
                    if (!plan.Buffers[i].Overlaps(plan.Buffers[j]))
                        continue;
                    bool disjoint = offsets[i] + length[i] <= offsets[j] || offsets[j] + length[j] <= offsets[i];
                    Assert.True(disjoint, $"{plan.Buffers[i].Name} and {plan.Buffers[j].Name} are both live and overlap");
                }
            }

            Assert.True(4 * peak <= plan.SumBytes(sizes));
            // the peak cannot be below the bytes live at any single step
            int steps = plan.Buffers.Max(b => b.Last) + 1;
            long busiest = Enumerable.Range(0, steps).Max(s => plan.Buffers.Select((b, i) => b.First <= s && s <= b.Last ? length[i] : 0).Sum());
            Assert.True(peak >= busiest);
        }
    }

    [Fact]
    public void Reuse_makes_the_arena_much_smaller_than_the_sum()
    {
        CompiledNetwork net = Net("sanet-r50");
        var sizes = TypedGraph.Sizes(1, 480, 480);
        Assert.True(net.InferencePlan.PeakBytes(sizes) * 5 < net.InferencePlan.SumBytes(sizes));
        Assert.True(net.TrainingPlan.PeakBytes(sizes) < net.TrainingPlan.SumBytes(sizes));
        Assert.True(net.InferencePlan.PeakBytes(sizes) < net.TrainingPlan.PeakBytes(sizes));
    }

    [Fact]
    public void Saved_activations_live_until_their_backward_step()
    {
        CompiledNetwork net = Net("sanet-tiny");
        int forwardSteps = net.Forward.Count;
        PlannedBuffer stemInput = net.TrainingPlan.Buffers.Single(b => b.Kind == BufferKind.Activation && b.Name == "backbone.stem1.relu");
        // read by stem2.conv's backward (dW needs x) and by stem1's fused BN+ReLU backward (the ReLU mask): the later wins
        int backwardOfStem2 = forwardSteps + net.Backward.Steps.ToList().FindIndex(s => s.Forward.Head == "backbone.stem2.conv");
        int backwardOfStem1 = forwardSteps + net.Backward.Steps.ToList().FindIndex(s => s.Forward.Head == "backbone.stem1.bn");
        Assert.True(backwardOfStem1 > backwardOfStem2);
        Assert.Equal(backwardOfStem1, stemInput.Last);
        PlannedBuffer sameInInference = net.InferencePlan.Buffers.Single(b => b.Name == "backbone.stem1.relu");
        Assert.Equal(net.Forward.ToList().FindIndex(s => s.Head == "backbone.stem2.conv"), sameInInference.Last);
    }

    [Fact]
    public void Report_totals_add_up()
    {
        CompiledNetwork net = Net("sanet-r50");
        SpecReport report = SpecReport.Build(net, 1, 480, 480);
        Assert.Equal(55_610_405, report.TotalParams);
        Assert.Equal(report.Rows.Sum(r => r.Params), report.TotalParams);
        ReportRow stem = report.Rows.Single(r => r.Name == "backbone.stem1.conv");
        Assert.Equal(2L * 64 * 240 * 240 * 3 * 9, stem.Flops); // 2 FLOPs per MAC, no bias
        Assert.Equal(new long[] { 1, 64, 240, 240 }, stem.Shape);
        Assert.True(report.InferencePeakBytes < report.TrainingPeakBytes);
    }
}
