using NetSpec.Runtime;
using NetSpec.Runtime.Profiling;
using NetSpec.Runtime.Training;

namespace NetSpec.Runtime.Tests.Training;

/// <summary>
/// SGD over a <see cref="ParameterArena"/> (how a generated network holds its parameters): one kernel launch for
/// every weight, whatever their lr multipliers and decay, equal bit for bit to the host path's per-tensor update.
/// </summary>
public sealed class SgdArenaTests : IDisposable
{
    private readonly Device host = Device.Create("cpu");
    private readonly Device kernels = Device.Create("cpu");

    public SgdArenaTests() => kernels.HostCode = false;

    public void Dispose()
    {
        host.Dispose();
        kernels.Dispose();
    }

    // a network's parameters in state_dict order: update classes interleaved (lr 1 with and without decay, lr 10 with
    // and without decay), buffers and a counter between them, lengths that leave grid-stride threads straddling classes
    private static readonly ParameterSpec[] Specs =
    [
        new("backbone.conv1.weight", [6, 3, 3, 3], ParameterKind.Weight, "backbone", 1f, true),
        new("backbone.bn1.weight", [6], ParameterKind.Weight, "backbone", 1f, false),
        new("backbone.bn1.bias", [6], ParameterKind.Weight, "backbone", 1f, false),
        new("backbone.bn1.running_mean", [6], ParameterKind.Buffer, "backbone", 1f, false),
        new("backbone.bn1.num_batches_tracked", [], ParameterKind.Counter, "backbone", 1f, false),
        new("backbone.conv2.weight", [5, 6, 3, 3], ParameterKind.Weight, "backbone", 1f, true),
        new("head.conv.weight", [7, 5, 1, 1], ParameterKind.Weight, "head", 10f, true),
        new("head.conv.bias", [7], ParameterKind.Weight, "head", 10f, false),
        new("head.bn.weight", [7], ParameterKind.Weight, "head", 10f, false),
        new("head.bn.running_var", [7], ParameterKind.Buffer, "head", 10f, false),
        new("backbone.fc.weight", [3, 11], ParameterKind.Weight, "backbone", 1f, true),
    ];

    [Fact]
    public void OneLaunchUpdatesEveryWeightAsTheHostPathDoes()
    {
        Parameter[] expected = Create(host), actual = Create(kernels);
        using var sgdHost = new Sgd(host, expected, momentum: 0.9f, weightDecay: 1e-2f);
        using var sgdKernel = new Sgd(kernels, actual, momentum: 0.9f, weightDecay: 1e-2f);
        Assert.Equal(1, sgdKernel.LaunchesPerStep);
        // each parameter 256-byte aligned (as a buffer of its own would be; cuBLAS's vectorised kernels need it)
        Assert.All(actual, p => Assert.Equal(0, p.ArenaOffset % ParameterArena.AlignmentFloats));
        Assert.Equal(expected.Where(p => p.Kind == ParameterKind.Weight).Select(p => p.Name), sgdKernel.StateNames);

        float[] rates = [0.05f, 0.03f, 0.011f];
        for (int step = 0; step < rates.Length; step++)
        {
            // new gradients each step, the same on both sides
            var random = new SeededRandom((ulong)(100 + step), "grad");
            foreach ((Parameter e, Parameter a) in expected.Zip(actual).Where(p => p.First.Kind == ParameterKind.Weight))
            {
                float[] g = Enumerable.Range(0, (int)e.Length).Select(i => (float)random.Normal(e.ArenaOffset + i)).ToArray();
                DeviceData.Upload(e.Grad!.View, g);
                DeviceData.Upload(a.Grad!.View, g);
            }

            sgdHost.Step(rates[step]);
            StepTrace trace = kernels.BeginTrace(TraceMode.Execute, kernelPath: true);
            sgdKernel.Step(rates[step]);
            kernels.EndTrace();
            kernels.Synchronize();
            host.Synchronize();

            Assert.Equal(["sgd.step"], trace.Events.OfType<KernelLaunch>().Select(l => l.Name));
            // the same float operations in the same order on both sides (the CPU accelerator runs the kernel as .NET
            // code, which does not fuse a multiply and an add): the bits must agree
            foreach ((Parameter e, Parameter a) in expected.Zip(actual))
            {
                Assert.Equal(DeviceData.Download<float>(e.Value.View), DeviceData.Download<float>(a.Value.View));
                if (e.Kind == ParameterKind.Weight)
                    Assert.Equal(sgdHost.ReadMomentum(e.Name), sgdKernel.ReadMomentum(a.Name));
            }
        }

        Dispose(expected);
        Dispose(actual);
    }

    [Fact]
    public void ParametersTheOptimizerDoesNotTrainSplitTheRun()
    {
        Parameter[] actual = Create(kernels);
        Parameter[] trained = actual.Where(p => p.Name != "backbone.conv2.weight").ToArray();
        using var sgd = new Sgd(kernels, trained, momentum: 0.9f, weightDecay: 1e-2f);
        Parameter skipped = actual.Single(p => p.Name == "backbone.conv2.weight");
        float[] before = DeviceData.Download<float>(skipped.Value.View);
        DeviceData.Upload(skipped.Grad!.View, Enumerable.Repeat(1f, (int)skipped.Length).ToArray());
        sgd.Step(0.1f);
        kernels.Synchronize();
        Assert.Equal(2, sgd.LaunchesPerStep); // the weights before it and after it
        Assert.Equal(before, DeviceData.Download<float>(skipped.Value.View));
        Dispose(actual);
    }

    [Fact]
    public void FirstStepFollowsEachWeightsOwnRule()
    {
        Parameter[] actual = Create(kernels);
        using var sgd = new Sgd(kernels, actual, momentum: 0.9f, weightDecay: 1e-2f);
        foreach (Parameter p in actual.Where(p => p.Kind == ParameterKind.Weight))
            DeviceData.Upload(p.Grad!.View, Enumerable.Repeat(0.5f, (int)p.Length).ToArray());
        var before = actual.ToDictionary(p => p.Name, p => DeviceData.Download<float>(p.Value.View));
        sgd.Step(0.1f);
        kernels.Synchronize();
        foreach (Parameter p in actual)
        {
            float[] after = DeviceData.Download<float>(p.Value.View);
            for (int i = 0; i < after.Length; i++)
            {
                double w0 = before[p.Name][i];
                // first step from zero momentum: v = g + wd·w₀; w₁ = w₀ − lr·mult·v (buffers and counters untouched);
                // a few float roundings of numbers below 10: within 1e-6 relative
                double w1 = p.Kind != ParameterKind.Weight ? w0 : w0 - (0.1 * p.LrMult * (0.5 + ((p.WeightDecay ? 1e-2 : 0) * w0)));
                Assert.True(Math.Abs(w1 - after[i]) <= 1e-6 * Math.Max(1, Math.Abs(w1)), $"{p.Name}[{i}]: expected {w1}, got {after[i]}");
            }
        }

        Dispose(actual);
    }

    private static Parameter[] Create(Device device)
    {
        Parameter[] parameters = ParameterArena.Create(device.Accelerator, Specs).Parameters.ToArray();
        var random = new SeededRandom(7, "value");
        foreach (Parameter p in parameters)
            DeviceData.Upload(p.Value.View, Enumerable.Range(0, (int)p.Length).Select(i => (float)random.Normal(p.ArenaOffset + i)).ToArray());
        return parameters;
    }

    private static void Dispose(Parameter[] parameters)
    {
        foreach (Parameter p in parameters)
            p.Dispose();
    }
}
