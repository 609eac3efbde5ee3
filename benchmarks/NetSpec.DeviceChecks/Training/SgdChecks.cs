using NetSpec.Runtime;
using NetSpec.Runtime.Training;

namespace NetSpec.DeviceChecks.Training;

/// <summary>SGD against values worked out by hand from PyTorch's update rule; per backend.</summary>
public sealed class SgdChecks(DeviceFixture fixture)
{
    private Device D => fixture.Device;

    [DeviceCheck]
    public void TwoStepsMatchHandComputedValues()
    {
        using var a = new Parameter(D.Accelerator, "backbone.a", [2], ParameterKind.Weight, "backbone", 1f, weightDecay: true);
        using var b = new Parameter(D.Accelerator, "head.b", [1], ParameterKind.Weight, "head", 10f, weightDecay: false);
        using var running = new Parameter(D.Accelerator, "bn.running_mean", [1], ParameterKind.Buffer, "backbone", 1f, weightDecay: false);
        DeviceData.Upload(a.Value.View, [1f, -2f]);
        DeviceData.Upload(a.Grad!.View, [0.5f, 0.25f]);
        DeviceData.Upload(b.Value.View, [3f]);
        DeviceData.Upload(b.Grad!.View, [-1f]);
        DeviceData.Upload(running.Value.View, [7f]);
        using var sgd = new Sgd(D, [a, b, running], momentum: 0.9f, weightDecay: 0.1f);
        Expect.SameValues(["backbone.a", "head.b"], sgd.StateNames);

        sgd.Step(0.01f);
        // a: g' = g + 0.1·w = (0.6, 0.05); v = g'; w −= 0.01·v
        Near([0.994, -2.0005], Read(a));
        // b: no decay, lr × 10: v = −1; w = 3 + 0.1
        Near([3.1], Read(b));

        sgd.Step(0.01f);
        // a: g' = (0.5 + 0.0994, 0.25 − 0.20005); v = 0.9·v + g' = (1.1394, 0.09495)
        Near([0.982606, -2.0014495], Read(a));
        Near([1.1394, 0.09495], sgd.ReadMomentum("backbone.a"));
        Near([3.29], Read(b));
        Expect.SameValues([7f], DeviceData.Download<float>(running.Value.View));

        // restoring momentum from a checkpoint: v = (0, 1) then one step with g' = g + 0.1·w
        sgd.WriteMomentum("backbone.a", [0f, 1f]);
        sgd.Step(0.01f);
        double w0 = 0.982606, w1 = -2.0014495;
        double v0 = 0.5 + (0.1 * w0), v1 = 0.9 + 0.25 + (0.1 * w1);
        Near([w0 - (0.01 * v0), w1 - (0.01 * v1)], Read(a));
        Expect.Throws<KeyNotFoundException>(() => sgd.ReadMomentum("bn.running_mean"));
    }

    private float[] Read(Parameter p)
    {
        D.Synchronize();
        return DeviceData.Download<float>(p.Value.View);
    }

    private static void Near(double[] expected, float[] actual)
    {
        Expect.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Expect.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])) * 8, $"[{i}] expected {expected[i]}, got {actual[i]}");
    }
}
