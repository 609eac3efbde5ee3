using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

public readonly record struct ConvGeometry(int KernelH, int KernelW, int StrideH, int StrideW,
    int PadH, int PadW, int DilationH, int DilationW, int Groups)
{
    /// <summary>Output height: (H + 2·pad − dil·(R − 1) − 1) / stride + 1.</summary>
    public int OutH(int h) => ((h + (2 * PadH) - (DilationH * (KernelH - 1)) - 1) / StrideH) + 1;

    public int OutW(int w) => ((w + (2 * PadW) - (DilationW * (KernelW - 1)) - 1) / StrideW) + 1;

    /// <summary>A 1×1, stride-1, unpadded conv reads x as its own column matrix (no im2col).</summary>
    internal bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;
}

/// <summary>
/// 2-D convolution as im2col + GEMM over channel groups (g groups of C/g inputs and K/g outputs).
/// Kernels (GPUs): the whole batch at once — one im2col launch for every image, then per group one strided-batched
/// GEMM (the weights' batch stride 0), so that the launches do not grow with the batch (docs/design/gpu-path.md);
/// images come in chunks only where their columns pass <see cref="Device.KernelColumnLimitFloats"/>.
/// On the CPU, host code (Conv2d.Host.cs): a batch's (image, group) jobs side by side, columns in chunks of channels.
/// Shapes: x (N,C,H,W), w (K,C/g,R,S), b (K) or default, y (N,K,P,Q); col (n, C·R·S, P·Q) for a chunk of n images.
/// </summary>
public static partial class Conv2d
{
    // y[n, group] = W_g ((K/g), (C/g)RS) · col[n, group] ((C/g)RS, PQ) + b, for every n in one GEMM
    public static void Forward(Device d, Tensor x, ArrayView<float> w, ArrayView<float> b, Tensor y, ConvGeometry g)
    {
        var s = Shapes.Of(x, y, g);
        Check.Length(w, s.WeightLength, "w");
        if (b.IsValid)
            Check.Length(b, y.C, "b");
        if (d.HostCode)
            ForwardHost(d, x, w, y, g, s);
        else
            ForwardKernels(d, x, w, y, g, s);

        if (b.IsValid)
            Bias.Add(d, y, b);
    }

    // dcol[n, group] = W_gᵀ ((C/g)RS, K/g) · dy[n, group] (K/g, PQ) for every n in one GEMM; dx (+)= fold(dcol)
    public static void BackwardInput(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, bool accumulate)
    {
        var s = Shapes.Of(dx, dy, g);
        Check.Length(w, s.WeightLength, "w");
        if (d.HostCode)
            BackwardInputHost(d, dy, w, dx, g, s, accumulate);
        else
            BackwardInputKernels(d, dy, w, dx, g, s, accumulate);
    }

    // dW_g = Σ_n dy[n, group] (K/g, PQ) · col[n, group]ᵀ (PQ, (C/g)RS); db = Σ_{n,p,q} dy
    public static void BackwardParams(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ArrayView<float> db, ConvGeometry g)
    {
        var s = Shapes.Of(x, dy, g);
        Check.Length(dw, s.WeightLength, "dw");
        if (d.HostCode)
            BackwardWeightsHost(d, x, dy, dw, g, s);
        else
            BackwardWeightsKernels(d, x, dy, dw, g, s);

        if (db.IsValid)
        {
            Check.Length(db, dy.C, "db");
            Bias.Gradient(d, dy, db);
        }
    }

    /// <summary>Sizes of one conv call, checked once.</summary>
    private readonly record struct Shapes(int Cg, int Kg, int Crs, int PQ, long XGroupLength, long YGroupLength, int WeightGroupLength, Tensor X, Tensor Y)
    {
        public long WeightLength => (long)WeightGroupLength * (Y.C / Kg);

        /// <summary>One image's columns for all groups: C·R·S rows of P·Q.</summary>
        public long ImageColLength => (long)Crs * (Y.C / Kg) * PQ;

        public long XOffset(int n, int grp) => (((long)n * X.C) + ((long)grp * Cg)) * X.Spatial;

        public long YOffset(int n, int grp) => (((long)n * Y.C) + ((long)grp * Kg)) * Y.Spatial;

        public static Shapes Of(Tensor x, Tensor y, ConvGeometry g)
        {
            Check.Valid(x, "x");
            Check.Valid(y, "y");
            Check.That(g.KernelH > 0 && g.KernelW > 0 && g.StrideH > 0 && g.StrideW > 0 && g.PadH >= 0 && g.PadW >= 0
                && g.DilationH > 0 && g.DilationW > 0 && g.Groups > 0, $"bad conv geometry {g}");
            Check.That(x.C % g.Groups == 0 && y.C % g.Groups == 0, $"channels {x.C}→{y.C} are not divisible by groups {g.Groups}");
            Check.That(x.N == y.N && g.OutH(x.H) == y.H && g.OutW(x.W) == y.W,
                $"conv output {y} should be ({x.N},{y.C},{g.OutH(x.H)},{g.OutW(x.W)}) for input {x} and {g}");
            return Sized(x, y, g);
        }

        /// <summary>The sizes alone (the tensors' views may be empty): for the workspace arithmetic before any tensor exists.</summary>
        public static Shapes Sized(Tensor x, Tensor y, ConvGeometry g)
        {
            int cg = x.C / g.Groups;
            int kg = y.C / g.Groups;
            int crs = cg * g.KernelH * g.KernelW;
            return new Shapes(cg, kg, crs, y.Spatial, (long)cg * x.Spatial, (long)kg * y.Spatial, kg * crs, x, y);
        }
    }
}
