using System.Buffers;
using System.Numerics.Tensors;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Broadcasting elementwise ops as host code over CPU-accelerator memory. Inside one (n,c) plane of a, b is a
/// plane, a row per h, or one value, so every inner loop is a TensorPrimitives call on a span and a span or scalar.
/// </summary>
public static unsafe partial class Elementwise
{
    /// <summary>Offset into b of the plane that broadcasts to a's plane (n,c).</summary>
    private static long BPlane(int n, int c, Tensor b) =>
        (((long)(b.N == 1 ? 0 : n) * b.C) + (b.C == 1 ? 0 : c)) * b.H * b.W;

    // a (N,C,H,W), b (N|1,C|1,H|1,W|1) → y (N,C,H,W) = a + b (op 0) or a·b (op 1); accumulate (multiply only): y += a·b
    private static void BroadcastHost(Tensor at, Tensor bt, Tensor yt, int op, bool accumulate)
    {
        float* a = HostOps.P(at.View), b = HostOps.P(bt.View), y = HostOps.P(yt.View);
        int c = at.C, h = at.H, w = at.W, hw = h * w;
        bool wholePlane = bt.H == h && bt.W == w, onePerPlane = bt.H == 1 && bt.W == 1;
        HostOps.Tasks(at.N * c, at.Length, plane =>
        {
            long o = (long)plane * hw;
            float* bp = b + BPlane(plane / c, plane % c, bt);
            if (wholePlane || onePerPlane)
            {
                Apply(new ReadOnlySpan<float>(a + o, hw), bp, wholePlane, new Span<float>(y + o, hw), op, accumulate);
                return;
            }

            for (int r = 0; r < h; r++)
            {
                long ro = o + ((long)r * w);
                Apply(new ReadOnlySpan<float>(a + ro, w), bp + (bt.H == 1 ? 0 : (long)r * bt.W), bt.W == w, new Span<float>(y + ro, w), op, accumulate);
            }
        });
    }

    // y (+)= a ∘ (b as a span of a's length, or b[0] for all)
    private static void Apply(ReadOnlySpan<float> a, float* b, bool span, Span<float> y, int op, bool accumulate)
    {
        if (span)
        {
            var bs = new ReadOnlySpan<float>(b, a.Length);
            if (op == 0)
                TensorPrimitives.Add(a, bs, y);
            else if (accumulate)
                TensorPrimitives.MultiplyAdd(a, bs, y, y);
            else
                TensorPrimitives.Multiply(a, bs, y);
        }
        else if (op == 0)
        {
            TensorPrimitives.Add(a, b[0], y);
        }
        else if (accumulate)
        {
            TensorPrimitives.MultiplyAdd(a, b[0], y, y);
        }
        else
        {
            TensorPrimitives.Multiply(a, b[0], y);
        }
    }

    // db[j] (+)= Σ_{i broadcasting to j} dy[i] · (a[i] or 1): one task per plane of db, a's planes added in order
    private static void ReduceToBHost(Tensor dyt, ArrayView<float> aV, Tensor dbt, bool accumulate, bool useA)
    {
        float* dy = HostOps.P(dyt.View), a = useA ? HostOps.P(aV) : null, db = HostOps.P(dbt.View);
        int h = dyt.H, w = dyt.W, hw = h * w, bhw = dbt.H * dbt.W;
        bool wholePlane = dbt.H == h && dbt.W == w, onePerPlane = dbt.H == 1 && dbt.W == 1;
        HostOps.Tasks(dbt.N * dbt.C, dyt.Length, bPlane =>
        {
            int bn = bPlane / dbt.C, bc = bPlane % dbt.C;
            float[] rented = ArrayPool<float>.Shared.Rent(bhw);
            var sum = new Span<float>(rented, 0, bhw);
            sum.Clear();
            for (int n = dbt.N == 1 ? 0 : bn; n < (dbt.N == 1 ? dyt.N : bn + 1); n++)
            {
                for (int c = dbt.C == 1 ? 0 : bc; c < (dbt.C == 1 ? dyt.C : bc + 1); c++)
                {
                    long o = (((long)n * dyt.C) + c) * hw;
                    if (wholePlane || onePerPlane)
                    {
                        AddReduced(dy + o, a == null ? null : a + o, hw, sum, wholePlane);
                        continue;
                    }

                    for (int r = 0; r < h; r++)
                    {
                        long ro = o + ((long)r * w);
                        AddReduced(dy + ro, a == null ? null : a + ro, w, sum.Slice(dbt.H == 1 ? 0 : r * dbt.W, dbt.W), dbt.W == w);
                    }
                }
            }

            HostOps.Store(sum, new Span<float>(db + ((long)bPlane * bhw), bhw), accumulate);
            ArrayPool<float>.Shared.Return(rented);
        });
    }

    // sum += g·a elementwise (span: sum has g's length) or sum[0] += Σ g·a; a == null means a = 1
    private static void AddReduced(float* g, float* a, int n, Span<float> sum, bool span)
    {
        var gs = new ReadOnlySpan<float>(g, n);
        if (span && a == null)
            TensorPrimitives.Add(sum, gs, sum);
        else if (span)
            TensorPrimitives.MultiplyAdd(gs, new ReadOnlySpan<float>(a, n), sum, sum);
        else
            sum[0] += a == null ? TensorPrimitives.Sum(gs) : TensorPrimitives.Dot(gs, new ReadOnlySpan<float>(a, n));
    }

    // x[0..n) = value
    private static void FillHost(ArrayView<float> x, float value)
    {
        float* p = HostOps.P(x);
        HostOps.Chunks(x.Length, (s, n) => HostOps.S(p, s, n).Fill(value));
    }

    // x *= alpha
    private static void ScaleHost(ArrayView<float> x, float alpha)
    {
        float* p = HostOps.P(x);
        HostOps.Chunks(x.Length, (s, n) => TensorPrimitives.Multiply(HostOps.S(p, s, n), alpha, HostOps.S(p, s, n)));
    }
}
