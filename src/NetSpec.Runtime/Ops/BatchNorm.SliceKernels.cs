using ILGPU;
using ILGPU.Algorithms;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Batch norm's group kernels (ChannelSlices): one launch for the statistics' partials, one that finishes them and
/// normalises (with the residual add and the ReLU of a bottleneck's end), one for the backward's partials, one that
/// finishes them into dγ, dβ and writes dx (and the residual's gradient). Each thread takes two elements an iteration,
/// both loads issued before either is used. No atomics: every group of a channel finishes its partials in the same order.
/// </summary>
public static partial class BatchNorm
{
    /// <summary>Apply flags.</summary>
    internal const int ApplyRelu = 1, ApplyResidual = 2, ApplyBatch = 4, ApplyRunning = 8, ApplyCounter = 16, ApplyGiven = 32;

    /// <summary>Backward apply flags.</summary>
    internal const int BackRelu = 1, BackDx = 2, BackAccumulateDx = 4, BackDr = 8, BackAccumulateDr = 16;

    // group (c, b): count, mean and M2 (Σ (x − mean)²) of its slice, per thread by Welford's update, then combined over
    // the group (Chan et al.: M2 = Σ M2_t + n_t·(mean_t − mean)²) → partial[2g], partial[2g + 1]
    internal static void SliceStatisticsKernel(ArrayView<float> x, ArrayView<float> partial, Dims s, int slices)
    {
        var here = SliceThread.Here(s, slices);
        (int g, int t, int size, int b, int m) = (here.Index, here.T, here.Size, here.B, here.M);
        float count = 0f, mean = 0f, m2 = 0f;
        for (var pairs = here.Pairs(slices); !pairs.Done;)
        {
            pairs.Take(out int i1, out int i2);
            float v1 = x[i1], v2 = x[i2];
            count += 1f;
            float d = v1 - mean;
            mean += d / count;
            m2 += d * (v1 - mean);
            if (pairs.Two)
            {
                count += 1f;
                d = v2 - mean;
                mean += d / count;
                m2 += d * (v2 - mean);
            }
        }

        float n = ChannelSlices.Count(b, slices, size, m);
        float groupMean = GroupSum.Of(count * mean) / (n > 0f ? n : 1f); // an empty slice: 0, weighted by its count 0
        float dev = mean - groupMean;
        float groupM2 = GroupSum.Of(m2 + (count * dev * dev));
        if (t == 0)
        {
            partial[2 * g] = groupMean;
            partial[(2 * g) + 1] = groupM2;
        }
    }

    // y = (x − mean)·invStd·γ + β (+ r) then ReLU, per flags; statistics from the channel's partials (training: every group
    // finishes them, slice 0 writes mean, invStd, the running statistics and the counter), the running buffers (eval) or
    // mean/invStd as given (SyncBN)
    internal static void SliceApplyKernel(ArrayView<float> x, ArrayView<float> residual, ArrayView<float> partial, ArrayView<float> mean,
        ArrayView<float> invStd, ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, ArrayView<float> gamma,
        ArrayView<float> beta, ArrayView<float> y, Dims s, BatchNormScalars k)
    {
        int slices = k.Slices, flags = k.Flags;
        float momentum = k.Momentum, eps = k.Eps;
        var here = SliceThread.Here(s, slices);
        (int t, int size, int c, int b, int m) = (here.T, here.Size, here.C, here.B, here.M);
        float mu, inv;
        if ((flags & ApplyBatch) != 0)
        {
            float ownMean = 0f;
            for (int j = t; j < slices; j += size)
                ownMean += ChannelSlices.Count(j, slices, size, m) * partial[2 * ((c * slices) + j)];
            mu = GroupSum.Of(ownMean) / m;
            float ownM2 = 0f;
            for (int j = t; j < slices; j += size)
            {
                float dev = partial[2 * ((c * slices) + j)] - mu;
                ownM2 += partial[(2 * ((c * slices) + j)) + 1] + (ChannelSlices.Count(j, slices, size, m) * dev * dev);
            }

            float m2 = GroupSum.Of(ownM2);
            inv = 1f / XMath.Sqrt((m2 / m) + eps);
            if (b == 0 && t == 0)
            {
                mean[c] = mu;
                invStd[c] = inv;
                if ((flags & ApplyRunning) != 0)
                {
                    runningMean[c] = ((1f - momentum) * runningMean[c]) + (momentum * mu);
                    runningVar[c] = ((1f - momentum) * runningVar[c]) + (momentum * (m2 / (m - 1f)));
                }

                if ((flags & ApplyCounter) != 0 && c == 0)
                    counter[0] += 1f;
            }
        }
        else if ((flags & ApplyGiven) != 0)
        {
            mu = mean[c];
            inv = invStd[c];
        }
        else
        {
            mu = runningMean[c];
            inv = 1f / XMath.Sqrt(runningVar[c] + eps);
        }

        float scale = inv * gamma[c];
        float shift = beta[c] - (mu * scale);
        for (var pairs = here.Pairs(slices); !pairs.Done;)
        {
            pairs.Take(out int i1, out int i2);
            float v1 = (x[i1] * scale) + shift, v2 = (x[i2] * scale) + shift;
            if ((flags & ApplyResidual) != 0)
            {
                v1 += residual[i1];
                v2 += residual[i2];
            }

            if ((flags & ApplyRelu) != 0)
            {
                v1 = v1 < 0f ? 0f : v1;
                v2 = v2 < 0f ? 0f : v2;
            }

            y[i1] = v1;
            if (pairs.Two)
                y[i2] = v2;
        }
    }

    // group (c, b): Σ g and Σ g·(x − mean) over its slice (g = dy masked by the ReLU on y) → partial[2g], partial[2g + 1]
    internal static void SliceGradientSumsKernel(ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> mean,
        ArrayView<float> partial, Dims s, int slices, int relu)
    {
        var here = SliceThread.Here(s, slices);
        (int g, int t, int c, int m) = (here.Index, here.T, here.C, here.M);
        float mu = mean[c];
        float sumG = 0f, sumGX = 0f;
        for (var pairs = here.Pairs(slices); !pairs.Done;)
        {
            pairs.Take(out int i1, out int i2);
            float g1 = dy[i1], g2 = dy[i2], x1 = x[i1], x2 = x[i2];
            if (relu != 0)
            {
                g1 = y[i1] <= 0f ? 0f : g1;
                g2 = y[i2] <= 0f ? 0f : g2;
            }

            sumG += g1;
            sumGX += g1 * (x1 - mu);
            if (pairs.Two)
            {
                sumG += g2;
                sumGX += g2 * (x2 - mu);
            }
        }

        float groupG = GroupSum.Of(sumG);
        float groupGX = GroupSum.Of(sumGX);
        if (t == 0)
        {
            partial[2 * g] = groupG;
            partial[(2 * g) + 1] = groupGX;
        }
    }

    // every group finishes its channel's partials: dβ = Σ g, dγ = invStd·Σ g·(x − mean) (slice 0 writes them); then
    // dx (=|+=) a·g + shift + k·x (a = γ·invStd, k = −a·invStd·dγ/m, shift = −a·dβ/m − k·mean) and dr (=|+=) g, per flags
    internal static void SliceGradientApplyKernel(ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> mean,
        ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> partial, ArrayView<float> dgamma, ArrayView<float> dbeta,
        ArrayView<float> dx, ArrayView<float> dr, Dims s, int slices, int flags)
    {
        var here = SliceThread.Here(s, slices);
        (int t, int size, int c, int b, int m) = (here.T, here.Size, here.C, here.B, here.M);
        float ownG = 0f, ownGX = 0f;
        for (int j = t; j < slices; j += size)
        {
            ownG += partial[2 * ((c * slices) + j)];
            ownGX += partial[(2 * ((c * slices) + j)) + 1];
        }

        float db = GroupSum.Of(ownG);
        float inv = invStd[c];
        float dg = GroupSum.Of(ownGX) * inv;
        if (b == 0 && t == 0)
        {
            dbeta[c] = db;
            dgamma[c] = dg;
        }

        if ((flags & (BackDx | BackDr)) == 0)
            return;
        float a = gamma[c] * inv;
        float k = -a * inv * dg / m;
        float shift = (-a * db / m) - (k * mean[c]);
        for (var pairs = here.Pairs(slices); !pairs.Done;)
        {
            pairs.Take(out int i1, out int i2);
            float g1 = dy[i1], g2 = dy[i2];
            if ((flags & BackRelu) != 0)
            {
                g1 = y[i1] <= 0f ? 0f : g1;
                g2 = y[i2] <= 0f ? 0f : g2;
            }

            if ((flags & BackDx) != 0)
            {
                float v1 = (a * g1) + shift + (k * x[i1]), v2 = (a * g2) + shift + (k * x[i2]);
                if ((flags & BackAccumulateDx) != 0)
                {
                    v1 += dx[i1];
                    v2 += dx[i2];
                }

                dx[i1] = v1;
                if (pairs.Two)
                    dx[i2] = v2;
            }

            if ((flags & BackDr) != 0)
            {
                if ((flags & BackAccumulateDr) != 0)
                {
                    g1 += dr[i1];
                    g2 += dr[i2];
                }

                dr[i1] = g1;
                if (pairs.Two)
                    dr[i2] = g2;
            }
        }
    }
}

/// <summary>
/// The batch-norm normalisation kernel's scalars in one argument (ILGPU's launchers take at most 15; a kernel's
/// parameter types must be public): slices a channel, momentum, eps, flags.
/// </summary>
public readonly record struct BatchNormScalars(int Slices, float Momentum, float Eps, int Flags);
