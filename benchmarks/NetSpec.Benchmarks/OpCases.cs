using NetSpec.Runtime.Ops;

namespace NetSpec.Benchmarks;

// The per-op cases. benchmarks/peer/ops.py times the same shapes in PyTorch: keep the two in step.

/// <summary>A convolution x (N,C,H,W) * w (K,C/g,R,S) -> y (N,K,P,Q).</summary>
public sealed record ConvCase(string Name, int N, int C, int H, int W, int K, int R, int Stride, int Pad, int Dilation, int Groups = 1) : IWorkload
{
    public static IEnumerable<ConvCase> All =>
    [
        new("conv3x3", 8, 64, 56, 56, 64, 3, 1, 1, 1),
        new("conv1x1", 8, 256, 28, 28, 64, 1, 1, 0, 1),
        new("conv3x3_s2", 8, 64, 56, 56, 64, 3, 2, 1, 1),
        new("conv3x3_d2", 8, 64, 28, 28, 64, 3, 1, 2, 2),
    ];

    public int P => (H + 2 * Pad - Dilation * (R - 1) - 1) / Stride + 1;

    public int Q => (W + 2 * Pad - Dilation * (R - 1) - 1) / Stride + 1;

    public ConvGeometry Geometry => new(R, R, Stride, Stride, Pad, Pad, Dilation, Dilation, Groups);

    // Forward, backward-input and backward-weight each do N*K*(C/g)*R*S*P*Q multiply-adds.
    public double Flops(string method) => 2.0 * N * K * (C / Groups) * R * R * P * Q;

    public double Bytes(string method) => 0;

    public override string ToString() => $"{Name} {N}x{C}x{H}x{W}->{K}";
}

/// <summary>C (M,N) = A (M,K) B (K,N), row-major.</summary>
public sealed record GemmCase(int M, int N, int K) : IWorkload
{
    public static IEnumerable<GemmCase> All =>
    [
        new(512, 512, 512),
        new(1024, 1024, 1024),
        new(64, 3136, 576),    // a 64-channel 3x3 conv at 56x56 as a GEMM (one image, im2col)
    ];

    public double Flops(string method) => 2.0 * M * N * K;

    public double Bytes(string method) => 0;

    public override string ToString() => $"{M}x{N}x{K}";
}

/// <summary>An elementwise-class op over one NCHW tensor (batch norm, resize, loss); bytes depend on the method.</summary>
public sealed record TensorCase(string Name, int N, int C, int H, int W, int OutH = 0, int OutW = 0) : IWorkload
{
    public static IEnumerable<TensorCase> BatchNorm => [new("bn", 8, 64, 56, 56)];

    public static IEnumerable<TensorCase> Resize => [new("bilinear-ac", 8, 64, 28, 28, 56, 56)];

    public static IEnumerable<TensorCase> Losses => [new("ce", 8, 21, 96, 96)];

    public static IEnumerable<TensorCase> AttentionGate => [new("sa-gate", 8, 64, 56, 56)];

    private double X => 4.0 * N * C * H * W;

    private double Y => 4.0 * N * C * OutH * OutW;

    private double LabelBytes => 4.0 * N * H * W;

    public double Flops(string method) => 0;

    public double Bytes(string method) => (Name, method) switch
    {
        ("bn", "ForwardTraining" or "ForwardEval") => 2 * X,       // read x, write y
        ("bn", "Backward") => 4 * X,                               // read x, y, dy, write dx
        ("bilinear-ac", "Forward") => X + Y,
        ("bilinear-ac", "Backward") => X + Y,
        ("ce", "SoftmaxCrossEntropy") => X + LabelBytes,
        ("ce", "SoftmaxCrossEntropyBackward") => 2 * X + LabelBytes,
        ("ce", "BcePresence" or "BcePresenceBackward") => LabelBytes,   // the label scan dominates
        ("sa-gate", "Forward") => 3 * X,                           // read attn, res, write y
        ("sa-gate", "Backward") => 5 * X,                          // read attn, res, dy, write dAttn, dRes
        _ => 0,
    };

    public override string ToString() => OutH > 0 ? $"{Name} {N}x{C}x{H}x{W}->{OutH}x{OutW}" : $"{Name} {N}x{C}x{H}x{W}";
}
