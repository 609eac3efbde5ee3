using System.Numerics.Tensors;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Synchronised batch norm (docs/distributed.md, "Training"): with more than one rank on the device's communicator,
/// training statistics are those of the global batch: Σx and the value count all-reduced, then Σ(x − mean)²
/// all-reduced (two passes, as in one process); backward all-reduces Σg and Σg·(x − mean) for the input gradient,
/// while dγ and dβ stay this rank's own sums (the trainer's gradient average over ranks makes them global). Sums
/// cross ranks in double. N ranks × batch b then equal one process with batch N·b up to summation order.
/// </summary>
public static unsafe partial class BatchNorm
{
    /// <summary>Whether this device's batch norms in training reduce over all ranks.</summary>
    private static bool Synced(Device d) => d.Communicator.Size > 1;

    /// <summary>
    /// Per channel: this rank's sums, then <paramref name="count"/> appended; returns every rank's totals (the first
    /// local.Length + 1 values of the device's scratch array, valid until the next call).
    /// </summary>
    private static double[] AllReduceChannels(Device d, ReadOnlySpan<double> local, double count)
    {
        double[] totals = d.Scratch.Totals(local.Length + 1);
        local.CopyTo(totals);
        totals[local.Length] = count;
        d.Communicator.AllReduceSum(totals.AsSpan(0, local.Length + 1));
        return totals;
    }

    /// <summary>Kernels' per-channel sums: <paramref name="view"/> downloaded into <paramref name="into"/> as doubles.</summary>
    private static void ToDoubles(Device d, ArrayView<float> view, Span<double> into)
    {
        Span<float> floats = d.Scratch.Floats((int)view.Length);
        DeviceData.Download(view, floats);
        for (int i = 0; i < floats.Length; i++)
            into[i] = floats[i];
    }

    /// <summary>values[i] / divisor as floats, uploaded into <paramref name="view"/>.</summary>
    private static void UploadFloats(Device d, ReadOnlySpan<double> values, double divisor, ArrayView<float> view)
    {
        Span<float> floats = d.Scratch.Floats(values.Length);
        for (int i = 0; i < floats.Length; i++)
            floats[i] = (float)(values[i] / divisor);
        DeviceData.Upload(view, floats);
    }

    // x (N,C,H,W): mean and biased variance of the global batch → invStd; running var takes the unbiased one (global M)
    private static void SyncStatisticsHost(Device d, Tensor xt, ArrayView<float> meanV, ArrayView<float> invStdV,
        ArrayView<float> rmV, ArrayView<float> rvV, ArrayView<float> counterV, float momentum, float eps)
    {
        float* x = HostAccess.Pointer(xt.View), mean = HostAccess.Pointer(meanV), invStd = HostAccess.Pointer(invStdV);
        float* rm = rmV.IsValid ? HostAccess.Pointer(rmV) : null, rv = rvV.IsValid ? HostAccess.Pointer(rvV) : null;
        int n = xt.N, c = xt.C, hw = xt.Spatial;
        double[] local = d.Scratch.Local(c);
        HostParallel.For(c, ch =>
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
                sum += TensorPrimitives.Sum(new ReadOnlySpan<float>(x + ((((long)b * c) + ch) * hw), hw));
            local[ch] = sum;
        });
        double[] sums = AllReduceChannels(d, local.AsSpan(0, c), (double)n * hw);
        double m = sums[c];
        HostParallel.For(c, ch =>
        {
            float mu = (float)(sums[ch] / m);
            double sq = 0;
            for (int b = 0; b < n; b++)
                sq += SquaredDeviation(x + ((((long)b * c) + ch) * hw), hw, mu);
            mean[ch] = mu;
            local[ch] = sq;
        });
        double[] squares = AllReduceChannels(d, local.AsSpan(0, c), 0); // sums is read no more: the same scratch
        for (int ch = 0; ch < c; ch++)
        {
            invStd[ch] = (float)(1.0 / Math.Sqrt((squares[ch] / m) + eps));
            if (rm != null)
            {
                rm[ch] = ((1f - momentum) * rm[ch]) + (momentum * mean[ch]);
                rv[ch] = ((1f - momentum) * rv[ch]) + (momentum * (float)(squares[ch] / (m - 1)));
            }
        }

        if (counterV.IsValid)
            HostAccess.Pointer(counterV)[0] += 1f;
    }

    // dβ = Σg, dγ = invStd·Σg·(x − mean) over this rank; dx (=|+=) from the sums over all ranks and the global M
    private static void SyncBackwardHost(Device d, Tensor xt, Tensor yt, Tensor dyt, ArrayView<float> meanV, ArrayView<float> invStdV,
        ArrayView<float> gammaV, Tensor dxt, ArrayView<float> dgammaV, ArrayView<float> dbetaV, bool relu, bool accumulate)
    {
        float* x = HostAccess.Pointer(xt.View), y = HostAccess.Pointer(yt.View), dy = HostAccess.Pointer(dyt.View);
        float* dx = dxt.View.IsValid ? HostAccess.Pointer(dxt.View) : null;
        float* mean = HostAccess.Pointer(meanV), invStd = HostAccess.Pointer(invStdV), gamma = HostAccess.Pointer(gammaV);
        float* dgamma = HostAccess.Pointer(dgammaV), dbeta = HostAccess.Pointer(dbetaV);
        int n = xt.N, c = xt.C, hw = xt.Spatial;
        double[] local = d.Scratch.Local(2 * c); // (Σg, Σg·(x − mean)) per channel
        HostParallel.For(c, ch =>
        {
            (double sumG, double sumGX) = ChannelGradientSums(x, y, dy, xt, ch, mean[ch], relu);
            local[2 * ch] = sumG;
            local[(2 * ch) + 1] = sumGX;
            dbeta[ch] = (float)sumG;
            dgamma[ch] = (float)(sumGX * invStd[ch]);
        });
        if (dx == null)
            return; // every rank's graph is the same: all or none of them skip this all-reduce
        double[] sums = AllReduceChannels(d, local.AsSpan(0, 2 * c), (double)n * hw);
        float m = (float)sums[2 * c];
        HostParallel.For(c, ch =>
        {
            float a = gamma[ch] * invStd[ch];
            float globalDgamma = (float)(sums[(2 * ch) + 1] * invStd[ch]), globalDbeta = (float)sums[2 * ch];
            float k = -a * invStd[ch] * globalDgamma / m;
            float shift = (-a * globalDbeta / m) - (k * mean[ch]);
            ChannelInputGradient(x, y, dy, dx, xt, ch, a, k, shift, relu, accumulate);
        });
    }
}
