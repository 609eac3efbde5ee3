using NetSpec.Runtime;
using NetSpec.Runtime.Training;

namespace NetSpec.Runtime.Tests.Training;

public sealed class ScheduleAndInitTests : IDisposable
{
    private readonly Device device = Device.Create("cpu");

    [Fact]
    public void PolyScheduleFollowsTheFormula()
    {
        var poly = new PolySchedule(0.01f, 100);
        Assert.Equal(0.01f, poly.At(0));
        Assert.Equal(0f, poly.At(100));
        Assert.Equal(0.01 * 0.535886731268146, poly.At(50), 1e-8); // 0.5^0.9
        Assert.Equal(0.01 * Math.Pow(0.25, 0.9), poly.At(75), 1e-8);
        Assert.Throws<ArgumentOutOfRangeException>(() => poly.At(101));
        Assert.Throws<ArgumentException>(() => new PolySchedule(0.01f, 0).At(0));
    }

    [Fact]
    public void KaimingNormalFanOutHasTorchvisionStatistics()
    {
        using var w = new Parameter(device.Accelerator, "layer.conv.weight", [64, 32, 3, 3], ParameterKind.Weight, "backbone", 1, true);
        Initializers.KaimingNormalFanOut(w, seed: 7);
        float[] v = DeviceData.Download<float>(w.Value.View);
        double std = Math.Sqrt(2.0 / (64 * 3 * 3)); // fan_out = K·R·S
        double mean = v.Average(x => (double)x);
        double sampleStd = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        // 5 standard errors: of the mean std/√n, of the standard deviation std/√(2n)
        Assert.InRange(mean, -5 * std / Math.Sqrt(v.Length), 5 * std / Math.Sqrt(v.Length));
        Assert.InRange(sampleStd, std * (1 - (5 / Math.Sqrt(2.0 * v.Length))), std * (1 + (5 / Math.Sqrt(2.0 * v.Length))));
    }

    [Fact]
    public void InitialisationIsDeterministicPerSeedAndName()
    {
        using var a = new Parameter(device.Accelerator, "a.weight", [8, 4, 3, 3], ParameterKind.Weight, "backbone", 1, true);
        using var b = new Parameter(device.Accelerator, "b.weight", [8, 4, 3, 3], ParameterKind.Weight, "backbone", 1, true);
        Initializers.KaimingNormalFanOut(a, 1);
        float[] first = DeviceData.Download<float>(a.Value.View);
        Initializers.KaimingNormalFanOut(a, 1);
        Assert.Equal(first, DeviceData.Download<float>(a.Value.View));
        Initializers.KaimingNormalFanOut(a, 2);
        Assert.NotEqual(first, DeviceData.Download<float>(a.Value.View));
        Initializers.KaimingNormalFanOut(b, 1);
        Assert.NotEqual(first, DeviceData.Download<float>(b.Value.View));
    }

    [Fact]
    public void LinearAndBatchNormDefaults()
    {
        using var w = new Parameter(device.Accelerator, "fc.weight", [10, 25], ParameterKind.Weight, "head", 1, true);
        using var b = new Parameter(device.Accelerator, "fc.bias", [10], ParameterKind.Weight, "head", 1, true);
        Initializers.LinearDefault(w, b, 3);
        float[] wv = DeviceData.Download<float>(w.Value.View), bv = DeviceData.Download<float>(b.Value.View);
        const double bound = 0.2; // 1/√25
        Assert.All(wv.Concat(bv), x => Assert.InRange(x, -bound, bound));
        Assert.True(wv.Max() > 0.8 * bound && wv.Min() < -0.8 * bound, "weights should spread over the whole interval");

        using var g = new Parameter(device.Accelerator, "bn.weight", [3], ParameterKind.Weight, "backbone", 1, false);
        using var be = new Parameter(device.Accelerator, "bn.bias", [3], ParameterKind.Weight, "backbone", 1, false);
        using var rv = new Parameter(device.Accelerator, "bn.running_var", [3], ParameterKind.Buffer, "backbone", 1, false);
        Initializers.BatchNorm(g, be, null, rv, null);
        Assert.Equal([1f, 1f, 1f], DeviceData.Download<float>(g.Value.View));
        Assert.Equal([0f, 0f, 0f], DeviceData.Download<float>(be.Value.View));
        Assert.Equal([1f, 1f, 1f], DeviceData.Download<float>(rv.Value.View));
        Assert.Throws<ArgumentException>(() => Initializers.KaimingNormalFanOut(w, 1));
    }

    public void Dispose() => device.Dispose();
}
