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
/// 2-D convolution as im2col + GEMM, per image and channel group (g groups of C/g inputs and K/g outputs);
/// on the CPU, host code (Conv2d.Host.cs): a batch's (image, group) jobs side by side, columns in chunks of channels.
/// Shapes: x (N,C,H,W), w (K,C/g,R,S), b (K) or default, y (N,K,P,Q); col ((C/g)·R·S, P·Q) in the workspace.
/// </summary>
public static partial class Conv2d
{
    // y[n, group] = W_g ((K/g), (C/g)RS) · col ((C/g)RS, PQ) + b
    public static void Forward(Device d, Tensor x, ArrayView<float> w, ArrayView<float> b, Tensor y, ConvGeometry g)
    {
        var s = Shapes.Of(x, y, g);
        Check.Length(w, s.WeightLength, "w");
        if (b.IsValid)
            Check.Length(b, y.C, "b");
        if (d.HostCode)
        {
            ForwardHost(d, x, w, y, g, s);
            if (b.IsValid)
                Bias.Add(d, y, b);
            return;
        }

        ArrayView<float> col = g.IsPointwise ? default : d.Workspace(s.ColLength);
        for (int n = 0; n < x.N; n++)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                ArrayView<float> xg = x.View.SubView(s.XOffset(n, grp), s.XGroupLength);
                ArrayView<float> yg = y.View.SubView(s.YOffset(n, grp), s.YGroupLength);
                ArrayView<float> colg = xg;
                if (!g.IsPointwise)
                {
                    Im2Col.Unfold(d, xg, col, s.Cg, x.H, x.W, y.H, y.W, g);
                    colg = col;
                }

                d.Gemm.Gemm(false, false, s.Kg, s.PQ, s.Crs, 1f, w.SubView(grp * s.WeightGroupLength, s.WeightGroupLength), s.Crs, colg, s.PQ, 0f, yg, s.PQ);
            }
        }

        if (b.IsValid)
            Bias.Add(d, y, b);
    }

    // dcol = W_gᵀ ((C/g)RS, K/g) · dy_g (K/g, PQ); dx (+)= fold(dcol)
    public static void BackwardInput(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, bool accumulate)
    {
        var s = Shapes.Of(dx, dy, g);
        Check.Length(w, s.WeightLength, "w");
        if (d.HostCode)
        {
            BackwardInputHost(d, dy, w, dx, g, s, accumulate);
            return;
        }

        ArrayView<float> col = g.IsPointwise ? default : d.Workspace(s.ColLength);
        for (int n = 0; n < dx.N; n++)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                ArrayView<float> dxg = dx.View.SubView(s.XOffset(n, grp), s.XGroupLength);
                ArrayView<float> dyg = dy.View.SubView(s.YOffset(n, grp), s.YGroupLength);
                ArrayView<float> wg = w.SubView(grp * s.WeightGroupLength, s.WeightGroupLength);
                if (g.IsPointwise)
                {
                    d.Gemm.Gemm(true, false, s.Crs, s.PQ, s.Kg, 1f, wg, s.Crs, dyg, s.PQ, accumulate ? 1f : 0f, dxg, s.PQ);
                    continue;
                }

                d.Gemm.Gemm(true, false, s.Crs, s.PQ, s.Kg, 1f, wg, s.Crs, dyg, s.PQ, 0f, col, s.PQ);
                Im2Col.Fold(d, col, dxg, s.Cg, dx.H, dx.W, dy.H, dy.W, g, accumulate);
            }
        }
    }

    // dW_g = Σ_n dy_g (K/g, PQ) · col_gᵀ (PQ, (C/g)RS); db = Σ_{n,p,q} dy
    public static void BackwardParams(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ArrayView<float> db, ConvGeometry g)
    {
        var s = Shapes.Of(x, dy, g);
        Check.Length(dw, s.WeightLength, "dw");
        if (d.HostCode)
            BackwardWeightsHost(d, x, dy, dw, g, s);
        else
            BackwardWeightsPerImage(d, x, dy, dw, g, s);

        if (db.IsValid)
        {
            Check.Length(db, dy.C, "db");
            Bias.Gradient(d, dy, db);
        }
    }

    private static void BackwardWeightsPerImage(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ConvGeometry g, Shapes s)
    {
        ArrayView<float> col = g.IsPointwise ? default : d.Workspace(s.ColLength);
        for (int n = 0; n < x.N; n++)
        {
            for (int grp = 0; grp < g.Groups; grp++)
            {
                ArrayView<float> xg = x.View.SubView(s.XOffset(n, grp), s.XGroupLength);
                ArrayView<float> dyg = dy.View.SubView(s.YOffset(n, grp), s.YGroupLength);
                ArrayView<float> colg = xg;
                if (!g.IsPointwise)
                {
                    Im2Col.Unfold(d, xg, col, s.Cg, x.H, x.W, dy.H, dy.W, g);
                    colg = col;
                }

                d.Gemm.Gemm(false, true, s.Kg, s.Crs, s.PQ, 1f, dyg, s.PQ, colg, s.PQ, n == 0 ? 0f : 1f,
                    dw.SubView(grp * s.WeightGroupLength, s.WeightGroupLength), s.Crs);
            }
        }
    }

    /// <summary>Sizes of one conv call, checked once.</summary>
    private readonly record struct Shapes(int Cg, int Kg, int Crs, int PQ, long XGroupLength, long YGroupLength, int WeightGroupLength, Tensor X, Tensor Y)
    {
        public long WeightLength => (long)WeightGroupLength * (Y.C / Kg);

        public long ColLength => (long)Crs * PQ;

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
            int cg = x.C / g.Groups;
            int kg = y.C / g.Groups;
            int crs = cg * g.KernelH * g.KernelW;
            return new Shapes(cg, kg, crs, y.Spatial, (long)cg * x.Spatial, (long)kg * y.Spatial, kg * crs, x, y);
        }
    }
}
