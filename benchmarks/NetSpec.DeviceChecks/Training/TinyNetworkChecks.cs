using ILGPU;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Training;

namespace NetSpec.DeviceChecks.Training;

/// <summary>
/// The ops composed as generated code composes them (conv → BN+ReLU → 1×1 conv → softmax CE, backward with
/// SGD): a learnable per-pixel labelling must lose most of its loss in a few dozen steps.
/// </summary>
public sealed class TinyNetworkChecks(DeviceFixture fixture)
{
    [DeviceCheck]
    public void LossFallsWhenTrainingOnALearnablePixelLabelling()
    {
        Device d = fixture.Device;
        const int n = 4, c = 3, h = 6, w = 6, mid = 8, k = 3;
        var rng = new Random(5);
        float[] image = Enumerable.Range(0, n * c * h * w).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        // label of a pixel: the channel with the largest value there (learnable by a 3×3 conv + 1×1 conv)
        int[] labels = new int[n * h * w];
        for (int b = 0; b < n; b++)
            for (int p = 0; p < h * w; p++)
                labels[(b * h * w) + p] = Enumerable.Range(0, c).MaxBy(ch => image[(((b * c) + ch) * h * w) + p]);

        using var conv1 = new Parameter(d.Accelerator, "conv1.weight", [mid, c, 3, 3], ParameterKind.Weight, "backbone", 1, true);
        using var gamma = new Parameter(d.Accelerator, "bn1.weight", [mid], ParameterKind.Weight, "backbone", 1, false);
        using var beta = new Parameter(d.Accelerator, "bn1.bias", [mid], ParameterKind.Weight, "backbone", 1, false);
        using var rm = new Parameter(d.Accelerator, "bn1.running_mean", [mid], ParameterKind.Buffer, "backbone", 1, false);
        using var rv = new Parameter(d.Accelerator, "bn1.running_var", [mid], ParameterKind.Buffer, "backbone", 1, false);
        using var count = new Parameter(d.Accelerator, "bn1.num_batches_tracked", [1], ParameterKind.Counter, "backbone", 1, false);
        using var conv2 = new Parameter(d.Accelerator, "head.weight", [k, mid, 1, 1], ParameterKind.Weight, "head", 1, true);
        using var bias2 = new Parameter(d.Accelerator, "head.bias", [k], ParameterKind.Weight, "head", 1, true);
        Initializers.KaimingNormalFanOut(conv1, 11);
        Initializers.BatchNorm(gamma, beta, rm, rv, count);
        Initializers.KaimingNormalFanOut(conv2, 11);
        Initializers.ConvBiasDefault(bias2, conv2, 11);
        Parameter[] all = [conv1, gamma, beta, rm, rv, count, conv2, bias2];

        using var s = new BuffersScope(d);
        Tensor x = s.Tensor(image, n, c, h, w), a1 = s.Tensor(n, mid, h, w, 0), r1 = s.Tensor(n, mid, h, w, 0), logits = s.Tensor(n, k, h, w, 0);
        Tensor dLogits = s.Tensor(n, k, h, w, 0), dR1 = s.Tensor(n, mid, h, w, 0), dA1 = s.Tensor(n, mid, h, w, 0), dX = s.Tensor(n, c, h, w, 0);
        ArrayView<float> mean = s.Filled(mid, 0), invStd = s.Filled(mid, 0), loss = s.Filled(1, 0);
        var map = new LabelMap(s.Ints(labels), n, h, w);
        var g3 = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1, 1);
        var g1 = new ConvGeometry(1, 1, 1, 1, 0, 0, 1, 1, 1);
        using var sgd = new Sgd(d, all, momentum: 0.9f, weightDecay: 1e-4f);

        float first = 0, last = 0;
        for (int step = 0; step < 40; step++)
        {
            Conv2d.Forward(d, x, conv1.Value.View, default, a1, g3);
            BatchNorm.Statistics(d, a1, mean, invStd, rm.Value.View, rv.Value.View, count.Value.View, 0.1f, 1e-5f, training: true);
            BatchNorm.Apply(d, a1, mean, invStd, gamma.Value.View, beta.Value.View, r1, relu: true);
            Conv2d.Forward(d, r1, conv2.Value.View, bias2.Value.View, logits, g1);
            Losses.SoftmaxCrossEntropy(d, logits, map, 255, loss);
            Losses.SoftmaxCrossEntropyBackward(d, logits, map, 255, 1f, dLogits, accumulate: false);
            Conv2d.BackwardParams(d, r1, dLogits, conv2.Grad!.View, bias2.Grad!.View, g1);
            Conv2d.BackwardInput(d, dLogits, conv2.Value.View, dR1, g1, accumulate: false);
            BatchNorm.Backward(d, a1, r1, dR1, mean, invStd, gamma.Value.View, dA1, gamma.Grad!.View, beta.Grad!.View, relu: true, accumulate: false);
            Conv2d.BackwardParams(d, x, dA1, conv1.Grad!.View, default, g3);
            Conv2d.BackwardInput(d, dA1, conv1.Value.View, dX, g3, accumulate: false);
            sgd.Step(new PolySchedule(0.1f, 40).At(step));
            float value = s.Read(loss)[0];
            Expect.True(float.IsFinite(value), $"loss became {value} at step {step}");
            if (step == 0)
                first = value;
            last = value;
        }

        Expect.True(last < 0.5f * first, $"loss went from {first} to {last} in 40 steps; expected it to halve");
        Expect.Equal(40f, s.Read(count.Value.View)[0]);
    }
}
