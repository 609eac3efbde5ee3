using BenchmarkDotNet.Attributes;
using ILGPU;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.Benchmarks;

/// <summary>
/// The device the benchmarks run on: NETSPEC_BENCH_DEVICE (auto|cuda|opencl|cpu), default cpu.
/// Every benchmark method ends with Synchronize, so the time is the op's, not its launch's.
/// </summary>
public abstract class DeviceBenchmark
{
    private protected Device D = null!;
    private protected Buffers B = null!;

    protected void Open()
    {
        D = Device.Create(Environment.GetEnvironmentVariable("NETSPEC_BENCH_DEVICE") ?? "cpu");
        B = new Buffers(D, seed: 42);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        B.Dispose();
        D.Dispose();
    }
}

[Config(typeof(OpConfig))]
public class ConvBenchmarks : DeviceBenchmark
{
    private Tensor x, y, dy, dx;
    private ArrayView<float> w, dw;

    [ParamsSource(nameof(Cases))]
    public ConvCase Case { get; set; } = null!;

    public static IEnumerable<ConvCase> Cases => ConvCase.All;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        ConvCase c = Case;
        x = B.Tensor(c.N, c.C, c.H, c.W);
        w = B.Floats((long)c.K * (c.C / c.Groups) * c.R * c.R, 0.05f);
        y = B.Tensor(c.N, c.K, c.P, c.Q, 0f);
        dy = B.Tensor(c.N, c.K, c.P, c.Q);
        dx = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        dw = B.Floats((long)c.K * (c.C / c.Groups) * c.R * c.R, 0f);
    }

    [Benchmark]
    public void Forward()
    {
        Conv2d.Forward(D, x, w, default, y, Case.Geometry);
        D.Synchronize();
    }

    [Benchmark]
    public void BackwardInput()
    {
        Conv2d.BackwardInput(D, dy, w, dx, Case.Geometry, accumulate: false);
        D.Synchronize();
    }

    [Benchmark]
    public void BackwardParams()
    {
        Conv2d.BackwardParams(D, x, dy, dw, default, Case.Geometry);
        D.Synchronize();
    }
}

[Config(typeof(OpConfig))]
public class GemmBenchmarks : DeviceBenchmark
{
    private ArrayView<float> a, b, c;

    [ParamsSource(nameof(Cases))]
    public GemmCase Case { get; set; } = null!;

    public static IEnumerable<GemmCase> Cases => GemmCase.All;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        a = B.Floats((long)Case.M * Case.K);
        b = B.Floats((long)Case.K * Case.N);
        c = B.Floats((long)Case.M * Case.N, 0f);
    }

    [Benchmark]
    public void Gemm()
    {
        D.Gemm.Gemm(false, false, Case.M, Case.N, Case.K, 1f, a, Case.K, b, Case.N, 0f, c, Case.N);
        D.Synchronize();
    }
}

[Config(typeof(OpConfig))]
public class BatchNormBenchmarks : DeviceBenchmark
{
    private Tensor x, y, dy, dx;
    private ArrayView<float> mean, invStd, runMean, runVar, counter, gamma, beta, dgamma, dbeta;

    [ParamsSource(nameof(Cases))]
    public TensorCase Case { get; set; } = null!;

    public static IEnumerable<TensorCase> Cases => TensorCase.BatchNorm;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        TensorCase c = Case;
        x = B.Tensor(c.N, c.C, c.H, c.W);
        y = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        dy = B.Tensor(c.N, c.C, c.H, c.W);
        dx = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        mean = B.Floats(c.C, 0f);
        invStd = B.Constant(c.C, 1f);
        runMean = B.Floats(c.C, 0f);
        runVar = B.Constant(c.C, 1f);
        counter = B.Floats(1, 0f);
        gamma = B.Constant(c.C, 1f);
        beta = B.Floats(c.C, 0f);
        dgamma = B.Floats(c.C, 0f);
        dbeta = B.Floats(c.C, 0f);
        ForwardTraining(); // y and the saved statistics for Backward
    }

    /// <summary>Batch statistics (running stats updated) + normalise + ReLU, as a training forward does.</summary>
    [Benchmark]
    public void ForwardTraining()
    {
        BatchNorm.Statistics(D, x, mean, invStd, runMean, runVar, counter, 0.1f, 1e-5f, training: true);
        BatchNorm.Apply(D, x, mean, invStd, gamma, beta, y, relu: true);
        D.Synchronize();
    }

    [Benchmark]
    public void ForwardEval()
    {
        BatchNorm.Statistics(D, x, mean, invStd, runMean, runVar, counter, 0.1f, 1e-5f, training: false);
        BatchNorm.Apply(D, x, mean, invStd, gamma, beta, y, relu: true);
        D.Synchronize();
    }

    [Benchmark]
    public void Backward()
    {
        BatchNorm.Backward(D, x, y, dy, mean, invStd, gamma, dx, dgamma, dbeta, relu: true, accumulate: false);
        D.Synchronize();
    }
}

[Config(typeof(OpConfig))]
public class ResizeBenchmarks : DeviceBenchmark
{
    private Tensor x, y, dy, dx;

    [ParamsSource(nameof(Cases))]
    public TensorCase Case { get; set; } = null!;

    public static IEnumerable<TensorCase> Cases => TensorCase.Resize;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        TensorCase c = Case;
        x = B.Tensor(c.N, c.C, c.H, c.W);
        dx = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        y = B.Tensor(c.N, c.C, c.OutH, c.OutW, 0f);
        dy = B.Tensor(c.N, c.C, c.OutH, c.OutW);
    }

    [Benchmark]
    public void Forward()
    {
        Resize.BilinearForward(D, x, y, alignCorners: true);
        D.Synchronize();
    }

    [Benchmark]
    public void Backward()
    {
        Resize.BilinearBackward(D, dy, dx, alignCorners: true, accumulate: false);
        D.Synchronize();
    }
}

/// <summary>The SA combine, fused: y = attn ⊙ res + attn, and both gradients.</summary>
[Config(typeof(OpConfig))]
public class AttentionGateBenchmarks : DeviceBenchmark
{
    private Tensor attn, res, y, dy, dAttn, dRes;

    [ParamsSource(nameof(Cases))]
    public TensorCase Case { get; set; } = null!;

    public static IEnumerable<TensorCase> Cases => TensorCase.AttentionGate;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        TensorCase c = Case;
        attn = B.Tensor(c.N, c.C, c.H, c.W);
        res = B.Tensor(c.N, c.C, c.H, c.W);
        dy = B.Tensor(c.N, c.C, c.H, c.W);
        y = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        dAttn = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        dRes = B.Tensor(c.N, c.C, c.H, c.W, 0f);
    }

    [Benchmark]
    public void Forward()
    {
        AttentionGate.Forward(D, attn, res, y);
        D.Synchronize();
    }

    [Benchmark]
    public void Backward()
    {
        AttentionGate.Backward(D, attn, res, dy, dAttn, dRes, accumulateAttention: false, accumulateResidual: false);
        D.Synchronize();
    }
}

[Config(typeof(OpConfig))]
public class LossBenchmarks : DeviceBenchmark
{
    private Tensor logits, dlogits, catLogits, dcat;
    private LabelMap labels;
    private ArrayView<float> loss;

    [ParamsSource(nameof(Cases))]
    public TensorCase Case { get; set; } = null!;

    public static IEnumerable<TensorCase> Cases => TensorCase.Losses;

    [GlobalSetup]
    public void Setup()
    {
        Open();
        TensorCase c = Case;
        logits = B.Tensor(c.N, c.C, c.H, c.W);
        dlogits = B.Tensor(c.N, c.C, c.H, c.W, 0f);
        catLogits = B.Tensor(c.N, c.C, 1, 1);
        dcat = B.Tensor(c.N, c.C, 1, 1, 0f);
        labels = B.Labels(c.N, c.H, c.W, c.C);
        loss = B.Floats(1, 0f);
    }

    [Benchmark]
    public void SoftmaxCrossEntropy()
    {
        Losses.SoftmaxCrossEntropy(D, logits, labels, 255, loss);
        D.Synchronize();
    }

    [Benchmark]
    public void SoftmaxCrossEntropyBackward()
    {
        Losses.SoftmaxCrossEntropyBackward(D, logits, labels, 255, 1f, dlogits, accumulate: false);
        D.Synchronize();
    }

    [Benchmark]
    public void BcePresence()
    {
        Losses.BceWithLogitsPresence(D, catLogits, labels, 255, loss);
        D.Synchronize();
    }

    [Benchmark]
    public void BcePresenceBackward()
    {
        Losses.BceWithLogitsPresenceBackward(D, catLogits, labels, 255, 0.2f, dcat, accumulate: false);
        D.Synchronize();
    }
}
