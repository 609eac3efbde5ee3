using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Batch normalisation over (N,H,W) per channel, PyTorch conventions: biased batch variance normalises,
/// the unbiased one (·M/(M−1)) enters running_var, running = (1−momentum)·running + momentum·batch.
/// </summary>
public static class BatchNorm
{
    // x (N,C,H,W); mean, invStd, runningMean, runningVar (C); counter (1) or default
    public static void Statistics(Device d, Tensor x, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, float momentum, float eps, bool training)
    {
        Check.Valid(x, "x");
        Check.Length(mean, x.C, "mean");
        Check.Length(invStd, x.C, "invStd");
        Check.That(eps > 0f, "eps must be positive");
        bool running = runningMean.IsValid;
        if (running || !training)
        {
            Check.Length(runningMean, x.C, "runningMean");
            Check.Length(runningVar, x.C, "runningVar");
        }

        if (training)
            Check.That((long)x.N * x.Spatial > 1, $"batch norm in training needs more than one value per channel, got {x}");
        ArrayView<float> none = d.Workspace(1);
        int threads = d.GridStrideThreads(x.C);
        d.Kernel("bn.stats", k => k.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, float, float, int, int>(StatisticsKernel))(
            threads, x.View, mean, invStd, running ? runningMean : none, running ? runningVar : none, counter.IsValid ? counter : none,
            Dims.Of(x), momentum, eps, (training ? 1 : 0) | (running ? 2 : 0) | (counter.IsValid ? 4 : 0), threads);
    }

    // y = (x − mean)·invStd·γ + β, then ReLU when relu
    public static void Apply(Device d, Tensor x, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta, Tensor y, bool relu)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        CheckChannels(x.C, mean, invStd, gamma, beta);
        Check.Length(beta, x.C, "beta");
        int threads = d.GridStrideThreads(x.Length);
        d.Kernel("bn.apply", k => k.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, int, int>(ApplyKernel))(
            threads, x.View, mean, invStd, gamma, beta, y.View, Dims.Of(x), relu ? 1 : 0, threads);
    }

    // g = dy·[y > 0 when relu]; dβ = Σg; dγ = Σg·x̂; dx = γ·invStd/M · (M·g − dβ − x̂·dγ)   (training statistics)
    public static void Backward(Device d, Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma,
        Tensor dx, ArrayView<float> dgamma, ArrayView<float> dbeta, bool relu, bool accumulate)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        Check.SameShape(x, dy, "x", "dy");
        Check.SameShape(x, dx, "x", "dx");
        CheckChannels(x.C, mean, invStd, gamma, default);
        Check.Length(dgamma, x.C, "dgamma");
        Check.Length(dbeta, x.C, "dbeta");
        int threads = d.GridStrideThreads(x.C);
        d.Kernel("bn.bwd.params", k => k.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, int, int>(BackwardParamsKernel))(
            threads, x.View, y.View, dy.View, mean, invStd, dgamma, dbeta, Dims.Of(x), relu ? 1 : 0, threads);
        threads = d.GridStrideThreads(x.Length);
        d.Kernel("bn.bwd.input", k => k.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, int, int>(BackwardInputKernel))(
            threads, x.View, y.View, dy.View, mean, invStd, gamma, dgamma, dbeta, dx.View, Dims.Of(x), (relu ? 1 : 0) | (accumulate ? 2 : 0), threads);
    }

    private static void CheckChannels(int c, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta)
    {
        Check.Length(mean, c, "mean");
        Check.Length(invStd, c, "invStd");
        Check.Length(gamma, c, "gamma");
        if (beta.IsValid)
            Check.Length(beta, c, "beta");
    }

    // flags: 1 training, 2 running stats present, 4 counter present
    internal static void StatisticsKernel(Index1D index, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, Dims s, float momentum, float eps, int flags, int stride)
    {
        long spatial = (long)s.H * s.W;
        long m = s.N * spatial;
        for (int c = index; c < s.C; c += stride)
        {
            if ((flags & 1) == 0)
            {
                mean[c] = runningMean[c];
                invStd[c] = 1f / XMath.Sqrt(runningVar[c] + eps);
                continue;
            }

            float sum = 0f;
            for (int n = 0; n < s.N; n++)
            {
                long b = ((long)n * s.C + c) * spatial;
                for (long i = 0; i < spatial; i++)
                    sum += x[b + i];
            }

            float mu = sum / m;
            float sq = 0f;
            for (int n = 0; n < s.N; n++)
            {
                long b = ((long)n * s.C + c) * spatial;
                for (long i = 0; i < spatial; i++)
                {
                    float e = x[b + i] - mu;
                    sq += e * e;
                }
            }

            float variance = sq / m;
            mean[c] = mu;
            invStd[c] = 1f / XMath.Sqrt(variance + eps);
            if ((flags & 2) != 0)
            {
                runningMean[c] = ((1f - momentum) * runningMean[c]) + (momentum * mu);
                runningVar[c] = ((1f - momentum) * runningVar[c]) + (momentum * (sq / (m - 1)));
            }

            if ((flags & 4) != 0 && c == 0)
                counter[0] += 1f;
        }
    }

    internal static void ApplyKernel(Index1D index, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y, Dims s, int relu, int stride)
    {
        long spatial = (long)s.H * s.W;
        long total = s.Length;
        for (long i = index; i < total; i += stride)
        {
            int c = (int)((i / spatial) % s.C);
            float v = ((x[i] - mean[c]) * invStd[c] * gamma[c]) + beta[c];
            y[i] = relu != 0 && v < 0f ? 0f : v;
        }
    }

    internal static void BackwardParamsKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy,
        ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> dgamma, ArrayView<float> dbeta, Dims s, int relu, int stride)
    {
        long spatial = (long)s.H * s.W;
        for (int c = index; c < s.C; c += stride)
        {
            float sumG = 0f;
            float sumGX = 0f;
            for (int n = 0; n < s.N; n++)
            {
                long b = ((long)n * s.C + c) * spatial;
                for (long i = 0; i < spatial; i++)
                {
                    float g = relu != 0 && y[b + i] <= 0f ? 0f : dy[b + i];
                    sumG += g;
                    sumGX += g * (x[b + i] - mean[c]);
                }
            }

            dbeta[c] = sumG;
            dgamma[c] = sumGX * invStd[c];
        }
    }

    // flags: 1 relu, 2 accumulate
    internal static void BackwardInputKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> mean,
        ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> dgamma, ArrayView<float> dbeta, ArrayView<float> dx, Dims s, int flags, int stride)
    {
        long spatial = (long)s.H * s.W;
        float m = s.N * spatial;
        long total = s.Length;
        for (long i = index; i < total; i += stride)
        {
            int c = (int)((i / spatial) % s.C);
            float g = (flags & 1) != 0 && y[i] <= 0f ? 0f : dy[i];
            float xhat = (x[i] - mean[c]) * invStd[c];
            float v = gamma[c] * invStd[c] / m * ((m * g) - dbeta[c] - (xhat * dgamma[c]));
            dx[i] = (flags & 2) != 0 ? dx[i] + v : v;
        }
    }
}
