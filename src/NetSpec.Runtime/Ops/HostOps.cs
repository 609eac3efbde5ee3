using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Host (CPU) versions of the light ops that are large in real networks: whole-buffer elementwise maps
/// through TensorPrimitives, chunked over cores. Callers have synchronised the device.
/// </summary>
internal static unsafe class HostOps
{
    private const int Chunk = 1 << 16;
    private static readonly int VC = Vector<float>.Count;

    /// <summary>p[0], p[2], …, p[30]: a stride-2 row's 16 values from two 512-bit loads (32 floats, all read) and
    /// a permute. AVX-512 only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadEvens(float* p) =>
        Avx512F.PermuteVar16x32x2(Vector512.Load(p), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), Vector512.Load(p + 16));

    /// <summary>Runs <paramref name="body"/> over [0, n) in chunks on all cores.</summary>
    public static void Chunks(long n, Action<long, int> body)
    {
        long chunks = (n + Chunk - 1) / Chunk;
        HostParallel.For(checked((int)chunks), i =>
        {
            long start = (long)i * Chunk;
            body(start, (int)Math.Min(Chunk, n - start));
        });
    }

    /// <summary>Runs <paramref name="body"/> for each of <paramref name="count"/> independent tasks (planes, rows),
    /// on all cores when the total work (elements) is worth it, else in order on this thread.</summary>
    public static void Tasks(int count, long work, Action<int> body)
    {
        if (count <= 1 || work < Chunk || Environment.ProcessorCount == 1)
        {
            for (int i = 0; i < count; i++)
                body(i);
        }
        else
        {
            HostParallel.For(count, body);
        }
    }

    /// <summary>dst = src or dst += src.</summary>
    public static void Store(ReadOnlySpan<float> src, Span<float> dst, bool accumulate)
    {
        if (accumulate)
            TensorPrimitives.Add(dst, src, dst);
        else
            src.CopyTo(dst);
    }

    public static float* P(ArrayView<float> view) => HostAccess.Pointer(view);

    public static Span<float> S(float* p, long start, int length) => new(p + start, length);

    // y = max(x, 0)
    public static void Relu(Tensor x, Tensor y)
    {
        float* xp = P(x.View), yp = P(y.View);
        Chunks(x.Length, (s, n) => TensorPrimitives.Max(S(xp, s, n), 0f, S(yp, s, n)));
    }

    // dx (+)= dy · [y > 0]
    public static void ReluBackward(Tensor y, Tensor dy, Tensor dx, bool accumulate)
    {
        float* yp = P(y.View), gp = P(dy.View), dp = P(dx.View);
        Chunks(y.Length, (s, n) =>
        {
            long i = s, end = s + n;
            for (; i <= end - VC; i += VC)
            {
                Vector<float> g = Vector.ConditionalSelect(Vector.GreaterThan(*(Vector<float>*)(yp + i), Vector<float>.Zero), *(Vector<float>*)(gp + i), Vector<float>.Zero);
                *(Vector<float>*)(dp + i) = accumulate ? *(Vector<float>*)(dp + i) + g : g;
            }

            for (; i < end; i++)
            {
                float g = yp[i] > 0f ? gp[i] : 0f;
                dp[i] = accumulate ? dp[i] + g : g;
            }
        });
    }

    // y = x for x > 0, slope · x otherwise
    public static void LeakyRelu(Tensor x, Tensor y, float slope)
    {
        float* xp = P(x.View), yp = P(y.View);
        Chunks(x.Length, (s, n) =>
        {
            for (long i = s, end = s + n; i < end; i++)
                yp[i] = xp[i] > 0f ? xp[i] : slope * xp[i];
        });
    }

    // dx (+)= dy · (y > 0 ? 1 : slope)
    public static void LeakyReluBackward(Tensor y, Tensor dy, Tensor dx, float slope, bool accumulate)
    {
        float* yp = P(y.View), gp = P(dy.View), dp = P(dx.View);
        Chunks(y.Length, (s, n) =>
        {
            for (long i = s, end = s + n; i < end; i++)
            {
                float g = yp[i] > 0f ? gp[i] : slope * gp[i];
                dp[i] = accumulate ? dp[i] + g : g;
            }
        });
    }

    // y = 1 / (1 + e^{−x})
    public static void Sigmoid(Tensor x, Tensor y)
    {
        float* xp = P(x.View), yp = P(y.View);
        Chunks(x.Length, (s, n) => TensorPrimitives.Sigmoid(S(xp, s, n), S(yp, s, n)));
    }

    // dx (+)= dy · y · (1 − y)
    public static void SigmoidBackward(Tensor y, Tensor dy, Tensor dx, bool accumulate)
    {
        float* yp = P(y.View), gp = P(dy.View), dp = P(dx.View);
        int vc = Vector<float>.Count;
        Chunks(y.Length, (s, n) =>
        {
            float* yc = yp + s, gc = gp + s, dc = dp + s;
            int i = 0;
            for (; i <= n - vc; i += vc)
            {
                Vector<float> yv = *(Vector<float>*)(yc + i);
                Vector<float> g = *(Vector<float>*)(gc + i) * yv * (Vector<float>.One - yv);
                *(Vector<float>*)(dc + i) = accumulate ? *(Vector<float>*)(dc + i) + g : g;
            }

            for (; i < n; i++)
            {
                float g = gc[i] * yc[i] * (1f - yc[i]);
                dc[i] = accumulate ? dc[i] + g : g;
            }
        });
    }

    // y = x or y += x
    public static void Copy(Tensor x, Tensor y, bool accumulate)
    {
        float* xp = P(x.View), yp = P(y.View);
        Chunks(x.Length, (s, n) =>
        {
            if (accumulate)
                TensorPrimitives.Add(S(yp, s, n), S(xp, s, n), S(yp, s, n));
            else
                S(xp, s, n).CopyTo(S(yp, s, n));
        });
    }

    // same-shape a ∘ b: op 0 add, 1 multiply
    public static void Binary(Tensor a, Tensor b, Tensor y, int op)
    {
        float* ap = P(a.View), bp = P(b.View), yp = P(y.View);
        Chunks(a.Length, (s, n) =>
        {
            if (op == 0)
                TensorPrimitives.Add(S(ap, s, n), S(bp, s, n), S(yp, s, n));
            else
                TensorPrimitives.Multiply(S(ap, s, n), S(bp, s, n), S(yp, s, n));
        });
    }

    // y[n,k,·] += b[k]
    public static void BiasAdd(Tensor y, ArrayView<float> b)
    {
        float* yp = P(y.View), bp = P(b);
        int hw = y.Spatial;
        HostParallel.For(y.N * y.C, plane => TensorPrimitives.Add(S(yp, (long)plane * hw, hw), bp[plane % y.C], S(yp, (long)plane * hw, hw)));
    }

    // db[k] = Σ_{n,·} dy[n,k,·]
    public static void BiasGradient(Tensor dy, ArrayView<float> db)
    {
        float* gp = P(dy.View), bp = P(db);
        int hw = dy.Spatial;
        HostParallel.For(dy.C, k =>
        {
            double sum = 0;
            for (int n = 0; n < dy.N; n++)
                sum += TensorPrimitives.Sum(S(gp, (((long)n * dy.C) + k) * hw, hw));
            bp[k] = (float)sum;
        });
    }
}
