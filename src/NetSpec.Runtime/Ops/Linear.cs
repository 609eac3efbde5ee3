using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>Fully connected layer as GEMMs: x (N,C,1,1), w (K,C), b (K) or default, y (N,K,1,1).</summary>
public static class Linear
{
    // y (N,K) = x (N,C) · wᵀ (C,K) + b
    public static void Forward(Device d, Tensor x, ArrayView<float> w, ArrayView<float> b, Tensor y)
    {
        CheckShapes(x, y, w);
        int c = x.C * x.Spatial;
        d.Gemm.Gemm(false, true, x.N, y.C, c, 1f, x.View, c, w, c, 0f, y.View, y.C);
        if (b.IsValid)
        {
            Check.Length(b, y.C, "b");
            Bias.Add(d, y, b);
        }
    }

    // dx (N,C) (+)= dy (N,K) · w (K,C)
    public static void BackwardInput(Device d, Tensor dy, ArrayView<float> w, Tensor dx, bool accumulate)
    {
        CheckShapes(dx, dy, w);
        int c = dx.C * dx.Spatial;
        d.Gemm.Gemm(false, false, dx.N, c, dy.C, 1f, dy.View, dy.C, w, c, accumulate ? 1f : 0f, dx.View, c);
    }

    // dw (K,C) = dyᵀ (K,N) · x (N,C); db (K) = Σ_n dy
    public static void BackwardParams(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ArrayView<float> db)
    {
        CheckShapes(x, dy, dw);
        int c = x.C * x.Spatial;
        d.Gemm.Gemm(true, false, dy.C, c, x.N, 1f, dy.View, dy.C, x.View, c, 0f, dw, c);
        if (db.IsValid)
        {
            Check.Length(db, dy.C, "db");
            Bias.Gradient(d, dy, db);
        }
    }

    private static void CheckShapes(Tensor x, Tensor y, ArrayView<float> w)
    {
        Check.Valid(x, "x");
        Check.Valid(y, "y");
        Check.That(y.H == 1 && y.W == 1 && y.N == x.N, $"linear output {y} must be ({x.N},K,1,1)");
        Check.Length(w, (long)y.C * x.C * x.Spatial, "w");
    }
}
