using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using Microsoft.CodeAnalysis;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>Runs a generated network on ILGPU's CPU accelerator: forward, losses, backward against finite differences.</summary>
public sealed class RunGeneratedTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    internal static readonly Lazy<Assembly> Networks = new(() =>
        GeneratorHarness.Generate(GeneratorHarness.RepositorySpecs().Where(s => s.Path.Contains("tiny") || s.Path.Contains("base") || s.Path.Contains("r50"))).Load());

    private readonly Device device = Device.Create("cpu");

    public void Dispose() => device.Dispose();

    private INetwork Create(string className) =>
        (INetwork)Activator.CreateInstance(Networks.Value.GetType("NetSpec.Networks." + className)!, device)!;

    /// <summary>Deterministic inputs: a smooth image and labels with a block of ignored pixels.</summary>
    internal static void Fill(INetwork net, int classes)
    {
        var image = new float[net.Image.Length];
        for (int i = 0; i < image.Length; i++)
            image[i] = MathF.Sin(0.37f * i) + 0.5f * MathF.Cos(0.011f * i);
        net.Image.View.CopyFromCPU(image);
        var labels = new int[net.Labels.Length];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = i % 97 < 10 ? 255 : (i / 7 + i / net.Labels.W) % classes;
        net.Labels.View.CopyFromCPU(labels);
    }

    internal static float[] Read(Tensor t)
    {
        var host = new float[t.Length];
        t.View.CopyToCPU(host);
        return host;
    }

    [Fact]
    public void Inference_and_training_plans_give_the_same_eval_outputs()
    {
        using INetwork net = Create("FcnTiny");
        net.InitializeParameters(7);
        net.Prepare(2, 35, 29, training: false);
        Fill(net, net.NumClasses);
        net.Forward(training: false);
        float[] inference = Read(net.Output("mask"));
        Assert.All(inference, v => Assert.True(float.IsFinite(v)));

        net.Prepare(2, 35, 29, training: true);
        Fill(net, net.NumClasses);
        net.Forward(training: false);
        float[] training = Read(net.Output("mask"));
        Assert.Equal(inference, training); // same arithmetic, different placements: any aliasing would show
        dynamic typed = net;
        Assert.Equal(net.Output("mask"), (Tensor)typed.Outputs.Mask);
    }

    /// <summary>Prepare's placement (the runtime's ArenaBinder) and the compiler's MemoryPlan run one algorithm (FirstFitPlacement): same peak.</summary>
    [Theory]
    [InlineData("FcnTiny", "fcn-tiny.yaml", 2, 35, 29)]
    [InlineData("SanetTiny", "sanet-tiny.yaml", 3, 64, 48)]
    public void Prepared_peak_equals_the_compilers_plan(string className, string file, int n, int h, int w)
    {
        string Text(string f) => File.ReadAllText(Path.Combine(GeneratorHarness.SpecFolder, f));
        var compiled = NetSpec.Dsl.SpecCompiler.Compile("specs/" + file, Text(file), f => File.Exists(Path.Combine(GeneratorHarness.SpecFolder, f)) ? Text(f) : null).Network!;
        var sizes = NetSpec.Dsl.Shapes.TypedGraph.Sizes(n, h, w);
        using INetwork net = Create(className);
        net.Prepare(n, h, w, training: true);
        Assert.Equal(compiled.TrainingPlan.PeakBytes(sizes), net.PlannedPeakBytes);
        net.Prepare(n, h, w, training: false);
        Assert.Equal(compiled.InferencePlan.PeakBytes(sizes), net.PlannedPeakBytes);
        Assert.True(net.PlannedPeakBytes < compiled.InferencePlan.SumBytes(sizes));
    }

    [Fact]
    public void Sanet_tiny_losses_start_near_log_k_and_gradients_match_finite_differences()
    {
        using INetwork net = Create("SanetTiny");
        net.InitializeParameters(3);
        net.Prepare(2, 32, 32, training: true);
        Fill(net, net.NumClasses);
        net.StepSeed = 11;
        net.Forward(training: true);
        LossValues losses = net.ReadLosses();
        Assert.All(losses.Terms.Values, v => Assert.True(float.IsFinite(v) && v > 0));
        Assert.InRange(losses.Terms["mask"], 0.2 * Math.Log(6), 5 * Math.Log(6));
        net.Backward();

        foreach (string name in new[] { "head.mask_conv.bias", "head.cat_fc.weight", "head.cls4.weight", "backbone.layer4.0.conv3.weight", "head.sa1.conv_attn.1.weight", "head.sa2.conv_res.0.weight" })
        {
            Parameter p = net.Parameters.Single(q => q.Name == name);
            var grad = new float[p.Length];
            p.Grad!.View.CopyToCPU(grad);
            int i = Array.IndexOf(grad, grad.MaxBy(MathF.Abs));
            var value = new float[p.Length];
            p.Value.View.CopyToCPU(value);

            // Central difference of the total loss. float32 losses carry ~1e-6 relative error, so with h = 1e-2
            // the difference quotient has ~3e-4 absolute noise; the O(h²) term is smaller for these smooth paths.
            const float h = 1e-2f;
            float Loss(float v)
            {
                value[i] = v;
                p.Value.View.CopyFromCPU(value);
                net.Forward(training: true);
                return net.ReadLosses().Total;
            }

            float original = value[i];
            float numeric = (Loss(original + h) - Loss(original - h)) / (2 * h);
            Loss(original);
            output.WriteLine($"{name}[{i}]: analytic {grad[i]:G6}, numeric {numeric:G6}");
            Assert.True(MathF.Abs(grad[i]) > 1e-3f, $"{name}: gradient vanishes ({grad[i]}), the check would be vacuous");
            Assert.True(MathF.Abs(numeric - grad[i]) <= 1e-3f + 0.05f * MathF.Abs(grad[i]), $"{name}[{i}]: analytic {grad[i]}, numeric {numeric}");
        }
    }
}
