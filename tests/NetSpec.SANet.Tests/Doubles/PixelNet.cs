using ILGPU;
using ILGPU.Runtime;
using NetSpec.Runtime;
using NetSpec.Samples.SANet.Networks;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.SANet.Tests.Doubles;

/// <summary>
/// A small, real INetwork for testing the sample without the generated networks: a per-pixel linear
/// classifier (1×1 conv 3→K with bias, head group ×10) with input dropout seeded by StepSeed, a running-mean
/// buffer and a batch counter (saved as I64), softmax cross-entropy over non-ignored pixels. Host math.
/// </summary>
public sealed class PixelNet(Device device, string specName, int numClasses, bool standardStem = false) : INetwork
{
    private const float DropP = 0.1f;
    private readonly Parameter weight = new(device.Accelerator, "head.weight", [numClasses, 3, 1, 1], ParameterKind.Weight, "head", 10f, true);
    private readonly Parameter bias = new(device.Accelerator, "head.bias", [numClasses], ParameterKind.Weight, "head", 10f, false);
    private readonly Parameter runningMean = new(device.Accelerator, "norm.running_mean", [3], ParameterKind.Buffer, "head", 1f, false);
    private readonly Parameter counter = new(device.Accelerator, "norm.num_batches_tracked", [], ParameterKind.Counter, "head", 1f, false);
    /// <summary>Unused by the math: present so that --pretrained has a torchvision-shaped stem to fill.</summary>
    private readonly Parameter[] backbone = standardStem
        ?
        [
            new(device.Accelerator, "backbone.conv1.weight", [64, 3, 7, 7], ParameterKind.Weight, "backbone", 1f, true),
            new(device.Accelerator, "backbone.bn1.weight", [64], ParameterKind.Weight, "backbone", 1f, false),
            new(device.Accelerator, "backbone.bn1.running_mean", [64], ParameterKind.Buffer, "backbone", 1f, false),
        ]
        : [];

    private MemoryBuffer1D<float, Stride1D.Dense>? image;
    private MemoryBuffer1D<int, Stride1D.Dense>? labels;
    private MemoryBuffer1D<float, Stride1D.Dense>? logits;
    private float[] lastInput = [];
    private float[] lastProb = [];
    private int[] lastLabels = [];
    private float lastLoss;

    /// <summary>When set, Forward(training) makes the loss NaN from this 1-based iteration count on.</summary>
    public int NanFromForward { get; init; }

    public int Forwards { get; private set; }

    /// <summary>Eval forwards so far, and the (H, W) each ran at.</summary>
    public List<(int Height, int Width)> EvalForwards { get; } = [];

    public string SpecName { get; } = specName;

    public int NumClasses { get; } = numClasses;

    public int IgnoreLabel => 255;

    public Device Device { get; } = device;

    public IReadOnlyList<Parameter> Parameters => [.. backbone, weight, bias, runningMean, counter];

    public IReadOnlyList<string> OutputNames => ["mask"];

    public int BatchSize { get; private set; }

    public int Height { get; private set; }

    public int Width { get; private set; }

    public Tensor Image => new(image!.View, BatchSize, 3, Height, Width);

    public LabelMap Labels => new(labels!.View, BatchSize, Height, Width);

    public ulong StepSeed { get; set; }

    public long PlannedPeakBytes => (long)BatchSize * Height * Width * (3 + 1 + NumClasses) * 4;

    public void InitializeParameters(ulong seed)
    {
        var random = new NetSpec.Samples.SANet.Data.SeededRandom(seed, 77);
        DeviceData.Upload(weight.Value.View, Enumerable.Range(0, (int)weight.Length).Select(_ => (float)(random.Gaussian() * 0.1)).ToArray());
        DeviceData.Upload(bias.Value.View, new float[NumClasses]);
        DeviceData.Upload(runningMean.Value.View, new float[3]);
        DeviceData.Upload(counter.Value.View, [0f]);
    }

    public void Prepare(int batch, int height, int width, bool training)
    {
        if (batch == BatchSize && height == Height && width == Width)
            return;
        image?.Dispose();
        labels?.Dispose();
        logits?.Dispose();
        (BatchSize, Height, Width) = (batch, height, width);
        image = Device.Accelerator.Allocate1D<float>((long)batch * 3 * height * width);
        labels = Device.Accelerator.Allocate1D<int>((long)batch * height * width);
        logits = Device.Accelerator.Allocate1D<float>((long)batch * NumClasses * height * width);
    }

    public void Forward(bool training)
    {
        int n = BatchSize, hw = Height * Width, k = NumClasses;
        float[] x = DeviceData.Download<float>(image!.View);
        float[] w = DeviceData.Download<float>(weight.Value.View), b = DeviceData.Download<float>(bias.Value.View);
        if (!training)
            EvalForwards.Add((Height, Width));
        if (training)
        {
            var random = new NetSpec.Samples.SANet.Data.SeededRandom(StepSeed);
            for (int i = 0; i < x.Length; i++)
                x[i] = random.NextDouble() < DropP ? 0f : x[i] / (1 - DropP);
        }

        float[] y = new float[n * k * hw];
        for (int s = 0; s < n; s++)
        {
            for (int p = 0; p < hw; p++)
            {
                for (int c = 0; c < k; c++)
                {
                    float v = b[c];
                    for (int ch = 0; ch < 3; ch++)
                        v += w[(c * 3) + ch] * x[(((s * 3) + ch) * hw) + p];
                    y[(((s * k) + c) * hw) + p] = v;
                }
            }
        }

        DeviceData.Upload(logits!.View, y);
        if (training)
            TrainingStep(x, y);
    }

    public LossValues ReadLosses() => new(lastLoss, new Dictionary<string, float> { ["mask"] = lastLoss });

    public void Backward()
    {
        int n = BatchSize, hw = Height * Width, k = NumClasses;
        float[] dw = new float[k * 3], db = new float[k];
        int counted = Math.Max(1, lastLabels.Count(l => l != IgnoreLabel));
        for (int s = 0; s < n; s++)
        {
            for (int p = 0; p < hw; p++)
            {
                int label = lastLabels[(s * hw) + p];
                if (label == IgnoreLabel)
                    continue;
                for (int c = 0; c < k; c++)
                {
                    float g = (lastProb[(((s * k) + c) * hw) + p] - (c == label ? 1f : 0f)) / counted;
                    db[c] += g;
                    for (int ch = 0; ch < 3; ch++)
                        dw[(c * 3) + ch] += g * lastInput[(((s * 3) + ch) * hw) + p];
                }
            }
        }

        DeviceData.Upload(weight.Grad!.View, dw);
        DeviceData.Upload(bias.Grad!.View, db);
    }

    public Tensor Output(string name) =>
        name == "mask" ? new Tensor(logits!.View, BatchSize, NumClasses, Height, Width) : throw new ArgumentException($"no output {name}");

    public void Dispose()
    {
        foreach (Parameter p in Parameters)
            p.Dispose();
        image?.Dispose();
        labels?.Dispose();
        logits?.Dispose();
    }

    private void TrainingStep(float[] x, float[] y)
    {
        Forwards++;
        int n = BatchSize, hw = Height * Width, k = NumClasses;
        int[] l = new int[n * hw];
        labels!.View.CopyToCPU(ref l[0], l.Length);
        float[] prob = new float[y.Length];
        double loss = 0;
        int counted = 0;
        for (int s = 0; s < n; s++)
        {
            for (int p = 0; p < hw; p++)
            {
                float max = float.NegativeInfinity;
                for (int c = 0; c < k; c++)
                    max = Math.Max(max, y[(((s * k) + c) * hw) + p]);
                double sum = 0;
                for (int c = 0; c < k; c++)
                    sum += Math.Exp(y[(((s * k) + c) * hw) + p] - max);
                for (int c = 0; c < k; c++)
                    prob[(((s * k) + c) * hw) + p] = (float)(Math.Exp(y[(((s * k) + c) * hw) + p] - max) / sum);
                int label = l[(s * hw) + p];
                if (label == IgnoreLabel)
                    continue;
                loss -= Math.Log(Math.Max(1e-12, prob[(((s * k) + label) * hw) + p]));
                counted++;
            }
        }

        lastLoss = NanFromForward > 0 && Forwards >= NanFromForward ? float.NaN : (float)(loss / Math.Max(1, counted));
        (lastInput, lastProb, lastLabels) = (x, prob, l);

        float[] mean = DeviceData.Download<float>(runningMean.Value.View);
        for (int ch = 0; ch < 3; ch++)
        {
            double m = 0;
            for (int s = 0; s < n; s++)
                for (int p = 0; p < hw; p++)
                    m += x[(((s * 3) + ch) * hw) + p];
            mean[ch] = (0.9f * mean[ch]) + (0.1f * (float)(m / (n * hw)));
        }

        DeviceData.Upload(runningMean.Value.View, mean);
        DeviceData.Upload(counter.Value.View, [DeviceData.Download<float>(counter.Value.View)[0] + 1]);
    }
}
