using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Add and multiply with broadcasting (b's dims equal a's or 1; y has a's shape), copy and scale.
/// The gradient of a broadcast operand sums over its size-1 dims (one thread per element of b, no atomics).
/// </summary>
public static partial class Elementwise
{
    // a (N,C,H,W), b (N|1, C|1, H|1, W|1), y (N,C,H,W)
    public static void Add(Device d, Tensor a, Tensor b, Tensor y) => Binary(d, a, b, y, 0);

    public static void Mul(Device d, Tensor a, Tensor b, Tensor y) => Binary(d, a, b, y, 1);

    // da = dy; db = Σ over broadcast dims of dy
    public static void AddBackward(Device d, Tensor dy, Tensor da, Tensor db, bool accumulateA, bool accumulateB)
    {
        Check.Valid(dy, "dy");
        if (da.View.IsValid)
            Copy(d, dy, da, accumulateA);
        if (db.View.IsValid)
            ReduceToB(d, dy, default, db, dy, accumulateB, useA: false);
    }

    // da = dy · b (broadcast); db = Σ over broadcast dims of dy · a
    public static void MulBackward(Device d, Tensor a, Tensor b, Tensor dy, Tensor da, Tensor db, bool accumulateA, bool accumulateB)
    {
        Check.Valid(dy, "dy");
        Check.SameShape(a, dy, "a", "dy");
        CheckBroadcast(a, b);
        if (da.View.IsValid)
        {
            Check.SameShape(a, da, "a", "da");
            if (d.HostPath(a.Length, out int threads))
            {
                BroadcastHost(dy, b, da, 1, accumulateA);
            }
            else
            {
                Check.Fits32(a, "a");
                d.Kernel("mul.bwd.a", MulBackwardAKernel)(
                    threads, b.View, dy.View, da.View, Dims.Of(a), Dims.Of(b), accumulateA ? 1 : 0, threads);
            }
        }

        if (db.View.IsValid)
            ReduceToB(d, dy, a.View, db, a, accumulateB, useA: true);
    }

    // y = x or y += x
    public static void Copy(Device d, Tensor x, Tensor y, bool accumulate)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        if (d.HostPath(x.Length, out int threads))
            HostOps.Copy(x, y, accumulate);
        else
            d.Kernel("copy", CopyKernel)(threads, x.View, y.View, x.Length, accumulate ? 1 : 0, threads);
    }

    // x *= alpha
    public static void Scale(Device d, ArrayView<float> x, float alpha)
    {
        Check.Length(x, 1, "x");
        if (d.HostPath(x.Length, out int threads))
            ScaleHost(x, alpha);
        else
            d.Kernel("scale", ScaleKernel)(threads, x, x.Length, alpha, threads);
    }

    /// <summary>x[0..n) = value, as a kernel on the device's stream (ordered with the kernels around it).</summary>
    public static void Fill(Device d, ArrayView<float> x, float value)
    {
        if (!x.IsValid || x.Length == 0)
            return;
        if (d.HostPath(x.Length, out int threads))
            FillHost(x, value);
        else
            d.Kernel("fill", FillKernel)(threads, x, x.Length, value, threads);
    }

    private static void Binary(Device d, Tensor a, Tensor b, Tensor y, int op)
    {
        Check.Valid(a, "a");
        Check.SameShape(a, y, "a", "y");
        CheckBroadcast(a, b);
        if (d.HostPath(a.Length, out int threads))
        {
            if (a.Length == b.Length)
                HostOps.Binary(a, b, y, op);
            else
                BroadcastHost(a, b, y, op, accumulate: false);
            return;
        }

        Check.Fits32(a, "a");
        d.Kernel("binary", BinaryKernel)(
            threads, a.View, b.View, y.View, Dims.Of(a), Dims.Of(b), op, threads);
    }

    private static void ReduceToB(Device d, Tensor dy, ArrayView<float> a, Tensor db, Tensor shapeA, bool accumulate, bool useA)
    {
        CheckBroadcast(shapeA, db);
        if (d.HostPath(db.Length, out int threads))
        {
            ReduceToBHost(dy, a, db, accumulate, useA);
            return;
        }

        Check.Fits32(shapeA, "a");
        d.Kernel("broadcast.reduce", ReduceToBKernel)(
            threads, dy.View, useA ? a : dy.View, db.View, Dims.Of(dy), Dims.Of(db), useA ? 1 : 0, accumulate ? 1 : 0, threads);
    }

    private static void CheckBroadcast(Tensor a, Tensor b)
    {
        Check.Valid(b, "b");
        bool ok = (b.N == a.N || b.N == 1) && (b.C == a.C || b.C == 1) && (b.H == a.H || b.H == 1) && (b.W == a.W || b.W == 1);
        Check.That(ok, $"b {b} does not broadcast to a {a}: each dim must equal a's or be 1");
    }

    /// <summary>Flat index into b of the element that broadcasts to a's flat index i (32-bit: the host checked a's length).</summary>
    private static long BroadcastIndex(int i, Dims a, Dims b)
    {
        int w = i % a.W;
        int r = i / a.W;
        int h = r % a.H;
        r /= a.H;
        int c = r % a.C;
        int n = r / a.C;
        return (((long)(b.N == 1 ? 0 : n) * b.C + (b.C == 1 ? 0 : c)) * b.H + (b.H == 1 ? 0 : h)) * b.W + (b.W == 1 ? 0 : w);
    }

    internal static void BinaryKernel(Index1D index, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, Dims da, Dims db, int op, int stride)
    {
        long n = da.Length;
        for (long i = index; i < n; i += stride)
        {
            float bv = b[BroadcastIndex((int)i, da, db)];
            y[i] = op == 0 ? a[i] + bv : a[i] * bv;
        }
    }

    internal static void MulBackwardAKernel(Index1D index, ArrayView<float> b, ArrayView<float> dy, ArrayView<float> da, Dims shapeA, Dims shapeB, int accumulate, int stride)
    {
        long n = shapeA.Length;
        for (long i = index; i < n; i += stride)
        {
            float g = dy[i] * b[BroadcastIndex((int)i, shapeA, shapeB)];
            da[i] = accumulate != 0 ? da[i] + g : g;
        }
    }

    // db[j] = Σ_{i broadcasting to j} dy[i] · (a[i] or 1)
    internal static void ReduceToBKernel(Index1D index, ArrayView<float> dy, ArrayView<float> a, ArrayView<float> db, Dims sa, Dims sb, int useA, int accumulate, int stride)
    {
        long total = sb.Length;
        for (long j = index; j < total; j += stride)
        {
            int w0 = (int)j % sb.W; // b is no longer than a, whose length the host checked against 2^31
            int r = (int)j / sb.W;
            int h0 = r % sb.H;
            r /= sb.H;
            int c0 = r % sb.C;
            int n0 = r / sb.C;
            float sum = 0f;
            for (int n = sb.N == 1 ? 0 : n0; n < (sb.N == 1 ? sa.N : n0 + 1); n++)
            {
                for (int c = sb.C == 1 ? 0 : c0; c < (sb.C == 1 ? sa.C : c0 + 1); c++)
                {
                    for (int h = sb.H == 1 ? 0 : h0; h < (sb.H == 1 ? sa.H : h0 + 1); h++)
                    {
                        long row = (((long)n * sa.C + c) * sa.H + h) * sa.W;
                        for (int w = sb.W == 1 ? 0 : w0; w < (sb.W == 1 ? sa.W : w0 + 1); w++)
                            sum += useA != 0 ? dy[row + w] * a[row + w] : dy[row + w];
                    }
                }
            }

            db[j] = accumulate != 0 ? db[j] + sum : sum;
        }
    }

    internal static void CopyKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, long n, int accumulate, int stride)
    {
        for (long i = index; i < n; i += stride)
            y[i] = accumulate != 0 ? y[i] + x[i] : x[i];
    }

    internal static void FillKernel(Index1D index, ArrayView<float> x, long n, float value, int stride)
    {
        for (long i = index; i < n; i += stride)
            x[i] = value;
    }

    internal static void ScaleKernel(Index1D index, ArrayView<float> x, long n, float alpha, int stride)
    {
        for (long i = index; i < n; i += stride)
            x[i] *= alpha;
    }
}
