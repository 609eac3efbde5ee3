using System.Numerics;
using System.Numerics.Tensors;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>Batch norm as vectorised host code over CPU-accelerator memory (one task per channel or plane).</summary>
public static unsafe partial class BatchNorm
{
    private static readonly int VC = Vector<float>.Count;

    // per channel: mean, biased variance → invStd; running stats (unbiased variance) and counter
    private static void StatisticsHost(Tensor xt, ArrayView<float> meanV, ArrayView<float> invStdV, ArrayView<float> rmV, ArrayView<float> rvV,
        ArrayView<float> counterV, float momentum, float eps, bool training)
    {
        float* x = HostAccess.Pointer(xt.View), mean = HostAccess.Pointer(meanV), invStd = HostAccess.Pointer(invStdV);
        float* rm = rmV.IsValid ? HostAccess.Pointer(rmV) : null, rv = rvV.IsValid ? HostAccess.Pointer(rvV) : null;
        int n = xt.N, c = xt.C, hw = xt.Spatial;
        long m = (long)n * hw;
        HostParallel.For(c, ch =>
        {
            if (!training)
            {
                mean[ch] = rm[ch];
                invStd[ch] = 1f / MathF.Sqrt(rv[ch] + eps);
                return;
            }

            double sum = 0;
            for (int b = 0; b < n; b++)
                sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(x + ((((long)b * c) + ch) * hw), hw));
            float mu = (float)(sum / m);
            double sq = 0;
            for (int b = 0; b < n; b++)
                sq += SquaredDeviation(x + ((((long)b * c) + ch) * hw), hw, mu);
            mean[ch] = mu;
            invStd[ch] = (float)(1.0 / Math.Sqrt((sq / m) + eps));
            if (rm != null)
            {
                rm[ch] = ((1f - momentum) * rm[ch]) + (momentum * mu);
                rv[ch] = ((1f - momentum) * rv[ch]) + (momentum * (float)(sq / (m - 1)));
            }
        });
        if (training && counterV.IsValid)
            HostAccess.Pointer(counterV)[0] += 1f;
    }

    // y = x·(invStd·γ) + (β − mean·invStd·γ), + r where given (BN + add + ReLU: the primitives the separate add and relu use,
    // so the same bits as those ops one after the other), then ReLU; one pass over each plane instead of three
    private static void ApplyHost(Tensor xt, Tensor rt, ArrayView<float> meanV, ArrayView<float> invStdV, ArrayView<float> gammaV,
        ArrayView<float> betaV, Tensor yt, bool relu)
    {
        float* x = HostAccess.Pointer(xt.View), r = rt.View.IsValid ? HostAccess.Pointer(rt.View) : null, y = HostAccess.Pointer(yt.View);
        float* mean = HostAccess.Pointer(meanV), invStd = HostAccess.Pointer(invStdV), gamma = HostAccess.Pointer(gammaV), beta = HostAccess.Pointer(betaV);
        int c = xt.C, hw = xt.Spatial;
        HostParallel.For(xt.N * c, plane =>
        {
            int ch = plane % c;
            float scale = invStd[ch] * gamma[ch];
            float shift = beta[ch] - (mean[ch] * scale);
            long o = (long)plane * hw;
            ScaleShift(x + o, y + o, hw, scale, shift, relu && r == null);
            if (r == null)
                return;
            var yp = new Span<float>(y + o, hw);
            System.Numerics.Tensors.TensorPrimitives.Add(yp, new ReadOnlySpan<float>(r + o, hw), yp);
            if (relu)
                System.Numerics.Tensors.TensorPrimitives.Max(yp, 0f, yp);
        });
    }

    // y[i] = x[i]·scale + shift (one rounding), then max(·, 0) with relu: one pass over the plane (three calls
    // of TensorPrimitives were three, and sanet-r50's 30×30 planes made their call overhead show)
    private static void ScaleShift(float* x, float* y, int n, float scale, float shift, bool relu)
    {
        int i = 0;
        var s = new Vector<float>(scale);
        var b = new Vector<float>(shift);
        for (; i + VC <= n; i += VC)
        {
            Vector<float> v = Vector.FusedMultiplyAdd(Vector.Load(x + i), s, b);
            if (relu)
                v = Vector.Max(v, Vector<float>.Zero); // IEEE maximum: a NaN stays NaN, as in TensorPrimitives.Max
            v.Store(y + i);
        }

        for (; i < n; i++)
        {
            float v = MathF.FusedMultiplyAdd(x[i], scale, shift);
            y[i] = relu ? MathF.Max(v, 0f) : v;
        }
    }

    // dx = a·g + b + k·x with a = γ·invStd, k = −γ·invStd²·dγ/M, b = −γ·invStd·dβ/M − k·mean
    private static void BackwardHost(Tensor xt, Tensor yt, Tensor dyt, ArrayView<float> meanV, ArrayView<float> invStdV, ArrayView<float> gammaV,
        Tensor dxt, ArrayView<float> dgammaV, ArrayView<float> dbetaV, bool relu, bool accumulate)
    {
        float* x = HostAccess.Pointer(xt.View), y = HostAccess.Pointer(yt.View), dy = HostAccess.Pointer(dyt.View);
        float* dx = dxt.View.IsValid ? HostAccess.Pointer(dxt.View) : null;
        float* mean = HostAccess.Pointer(meanV), invStd = HostAccess.Pointer(invStdV), gamma = HostAccess.Pointer(gammaV);
        float* dgamma = HostAccess.Pointer(dgammaV), dbeta = HostAccess.Pointer(dbetaV);
        int n = xt.N, c = xt.C, hw = xt.Spatial;
        float m = (float)n * hw;
        HostParallel.For(c, ch =>
        {
            (double sumG, double sumGX) = ChannelGradientSums(x, y, dy, xt, ch, mean[ch], relu);
            dbeta[ch] = (float)sumG;
            dgamma[ch] = (float)(sumGX * invStd[ch]);
            float a = gamma[ch] * invStd[ch];
            float k = -a * invStd[ch] * dgamma[ch] / m;
            float shift = (-a * dbeta[ch] / m) - (k * mean[ch]);
            if (dx != null)
                ChannelInputGradient(x, y, dy, dx, xt, ch, a, k, shift, relu, accumulate);
        });
    }

    // Σg and Σg·(x − mean) over channel ch of every image (x, y, dy shaped as t), summed in image order
    private static (double SumG, double SumGX) ChannelGradientSums(float* x, float* y, float* dy, Tensor t, int ch, float mean, bool relu)
    {
        double sumG = 0, sumGX = 0;
        for (int b = 0; b < t.N; b++)
        {
            long o = (((long)b * t.C) + ch) * t.Spatial;
            (float g, float gx) = GradientSums(x + o, y + o, dy + o, t.Spatial, mean, relu);
            sumG += g;
            sumGX += gx;
        }

        return (sumG, sumGX);
    }

    // dx (=|+=) a·g + shift + k·x over channel ch of every image
    private static void ChannelInputGradient(float* x, float* y, float* dy, float* dx, Tensor t, int ch, float a, float k, float shift,
        bool relu, bool accumulate)
    {
        for (int b = 0; b < t.N; b++)
        {
            long o = (((long)b * t.C) + ch) * t.Spatial;
            InputGradient(x + o, y + o, dy + o, dx + o, t.Spatial, a, k, shift, relu, accumulate);
        }
    }

    private static double SquaredDeviation(float* x, int len, float mu)
    {
        var acc = Vector<float>.Zero;
        var vmu = new Vector<float>(mu);
        int i = 0;
        for (; i <= len - VC; i += VC)
        {
            Vector<float> e = *(Vector<float>*)(x + i) - vmu;
            acc += e * e;
        }

        double sum = Vector.Sum(acc);
        for (; i < len; i++)
            sum += (x[i] - mu) * (x[i] - mu);
        return sum;
    }

    private static (float G, float GX) GradientSums(float* x, float* y, float* dy, int len, float mu, bool relu)
    {
        Vector<float> sg = Vector<float>.Zero, sgx = Vector<float>.Zero, vmu = new(mu);
        int i = 0;
        for (; i <= len - VC; i += VC)
        {
            Vector<float> g = *(Vector<float>*)(dy + i);
            if (relu)
                g = Vector.ConditionalSelect(Vector.GreaterThan(*(Vector<float>*)(y + i), Vector<float>.Zero), g, Vector<float>.Zero);
            sg += g;
            sgx += g * (*(Vector<float>*)(x + i) - vmu);
        }

        float sumG = Vector.Sum(sg), sumGX = Vector.Sum(sgx);
        for (; i < len; i++)
        {
            float g = relu && y[i] <= 0f ? 0f : dy[i];
            sumG += g;
            sumGX += g * (x[i] - mu);
        }

        return (sumG, sumGX);
    }

    private static void InputGradient(float* x, float* y, float* dy, float* dx, int len, float a, float k, float shift, bool relu, bool accumulate)
    {
        Vector<float> va = new(a), vk = new(k), vs = new(shift);
        int i = 0;
        for (; i <= len - VC; i += VC)
        {
            Vector<float> g = *(Vector<float>*)(dy + i);
            if (relu)
                g = Vector.ConditionalSelect(Vector.GreaterThan(*(Vector<float>*)(y + i), Vector<float>.Zero), g, Vector<float>.Zero);
            Vector<float> v = (va * g) + vs + (vk * *(Vector<float>*)(x + i));
            *(Vector<float>*)(dx + i) = accumulate ? *(Vector<float>*)(dx + i) + v : v;
        }

        for (; i < len; i++)
        {
            float g = relu && y[i] <= 0f ? 0f : dy[i];
            float v = (a * g) + shift + (k * x[i]);
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }
}
