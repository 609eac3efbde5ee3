using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Batch normalisation over (N,H,W) per channel, PyTorch conventions: biased batch variance normalises,
/// the unbiased one (·M/(M−1)) enters running_var, running = (1−momentum)·running + momentum·batch.
/// </summary>
public static partial class BatchNorm
{
    // x (N,C,H,W); mean, invStd, runningMean, runningVar (C); counter (1) or default
    public static void Statistics(Device d, Tensor x, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, float momentum, float eps, bool training)
    {
        Check.Valid(x, "x");
        Check.Length(mean, x.C, "mean");
        Check.Length(invStd, x.C, "invStd");
        CheckStatistics(x, runningMean, runningVar, eps, training);
        bool running = runningMean.IsValid;
        if (d.HostCode)
        {
            d.Synchronize();
            if (training && Synced(d))
                SyncStatisticsHost(d, x, mean, invStd, runningMean, runningVar, counter, momentum, eps);
            else
                StatisticsHost(x, mean, invStd, runningMean, runningVar, counter, momentum, eps, training);
            return;
        }

        Dims dims = Dims.Of(x);
        int parts = Parts(d, x);
        ArrayView<float> ws = d.Workspace(2L * x.C * parts + 1);
        ArrayView<float> partial = ws.SubView(0, 2L * x.C * parts);
        ArrayView<float> none = ws.SubView(2L * x.C * parts, 1);
        int flags = (training ? 1 : 0) | (running ? 2 : 0) | (counter.IsValid ? 4 : 0);
        int threads = x.C * parts;
        var partialKernel = d.Kernel("bn.stats.partial", StatisticsPartialKernel);
        var finishKernel = d.GroupKernel("bn.stats.finish", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float, int, int>(StatisticsFinishKernel));
        KernelConfig perChannel = GroupSum.Config(d, x.C);
        ArrayView<float> rm = running ? runningMean : none, rv = running ? runningVar : none, cnt = counter.IsValid ? counter : none;
        float count = (float)x.N * x.Spatial;
        if (training && Synced(d))
        {
            // SyncBN: each pass's per-channel sums go through the host (invStd holds them) and are all-reduced there
            partialKernel(threads, x.View, partial, mean, dims, parts, 0);
            finishKernel(perChannel, partial, mean, invStd, rm, rv, cnt, count, momentum, eps, parts, flags | 16);
            Span<double> local = d.Scratch.Local(x.C).AsSpan(0, x.C);
            ToDoubles(d, invStd, local);
            double[] sums = AllReduceChannels(d, local, count);
            double m = sums[x.C];
            UploadFloats(d, sums.AsSpan(0, x.C), m, mean);
            partialKernel(threads, x.View, partial, mean, dims, parts, 1);
            finishKernel(perChannel, partial, mean, invStd, rm, rv, cnt, count, momentum, eps, parts, flags | 16);
            ToDoubles(d, invStd, local);
            double[] squares = AllReduceChannels(d, local, 0);
            ArrayView<float> totals = partial.SubView(0, x.C); // one "partial" per channel: the global Σ(x − mean)²
            UploadFloats(d, squares.AsSpan(0, x.C), 1, totals);
            finishKernel(perChannel, totals, mean, invStd, rm, rv, cnt, (float)m, momentum, eps, 1, flags | 8);
            return;
        }

        if (training)
        {
            partialKernel(threads, x.View, partial, mean, dims, parts, 0);
            finishKernel(perChannel, partial, mean, invStd, rm, rv, cnt, count, momentum, eps, parts, flags);
            partialKernel(threads, x.View, partial, mean, dims, parts, 1);
        }

        finishKernel(perChannel, partial, mean, invStd, rm, rv, cnt, count, momentum, eps, parts, flags | 8);
    }

    /// <summary>
    /// Partial sums per channel: enough threads to fill a GPU, a few on the CPU accelerator. Up to 16,384 a channel (the
    /// finishing group adds them in strided sums, then its tree): at 1,024 a channel, the 64- to 256-channel layers of a
    /// ResNet left an H100's 270,336 resident threads a quarter to a half full, bound by their loads in flight.
    /// </summary>
    internal static int Parts(Device d, Tensor x)
    {
        long perChannel = (long)x.N * x.Spatial;
        Check.That(perChannel < int.MaxValue, $"batch norm over {perChannel} values per channel exceeds 2^31");
        long threads = d.GridStrideThreads(perChannel * x.C);
        return (int)Math.Clamp(threads / x.C, 1, Math.Min(MaxParts, perChannel));
    }

    internal const int MaxParts = 16384;

    // y = (x − mean)·invStd·γ + β, then ReLU when relu (mean, invStd as given)
    public static void Apply(Device d, Tensor x, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta, Tensor y, bool relu)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        CheckChannels(x.C, mean, invStd, gamma, beta);
        Check.Length(beta, x.C, "beta");
        if (d.HostCode)
        {
            d.Synchronize();
            ApplyHost(x, default, mean, invStd, gamma, beta, y, relu);
            return;
        }

        ApplySlices(d, x, default, mean, invStd, default, default, default, gamma, beta, y, 0, 1f, ApplyGiven | (relu ? ApplyRelu : 0));
    }

    // g = dy·[y > 0 when relu]; dβ = Σg; dγ = Σg·x̂; dx (=|+=) γ·invStd/M · (M·g − dβ − x̂·dγ)   (training statistics;
    // y is read only for the ReLU's mask and may be absent without it; dx may be absent)
    public static void Backward(Device d, Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma,
        Tensor dx, ArrayView<float> dgamma, ArrayView<float> dbeta, bool relu, bool accumulate) =>
        Backward(d, x, y, dy, mean, invStd, gamma, dx, dgamma, dbeta, default, relu, accumulate, accumulateResidual: false);

    // the backward as three launches (partials, their finish, dx): host code, and SyncBN (its sums cross the host between them)
    private static void BackwardUnfused(Device d, Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma,
        Tensor dx, ArrayView<float> dgamma, ArrayView<float> dbeta, bool relu, bool accumulate)
    {
        y = CheckBackward(x, y, dy, dx, mean, invStd, gamma, dgamma, dbeta, relu);
        bool wantInput = dx.View.IsValid; // absent (default) when the input needs no gradient
        if (d.HostCode)
        {
            d.Synchronize();
            if (Synced(d))
                SyncBackwardHost(d, x, y, dy, mean, invStd, gamma, dx, dgamma, dbeta, relu, accumulate);
            else
                BackwardHost(x, y, dy, mean, invStd, gamma, dx, dgamma, dbeta, relu, accumulate);
            return;
        }

        Check.Fits32(x, "x");
        int parts = Parts(d, x);
        ArrayView<float> partial = d.Workspace(2L * x.C * parts);
        d.Kernel("bn.bwd.partial", BackwardPartialKernel)(
            x.C * parts, x.View, y.View, dy.View, mean, partial, Dims.Of(x), parts, relu ? 1 : 0);
        d.GroupKernel("bn.bwd.params", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(BackwardParamsKernel))(
            GroupSum.Config(d, x.C), partial, invStd, dgamma, dbeta, parts);
        if (!wantInput)
            return;
        float count = (float)x.N * x.Spatial;
        ArrayView<float> sumGX = dgamma, sumG = dbeta;
        if (Synced(d))
        {
            // SyncBN: dγ, dβ stay this rank's; the input gradient takes every rank's (through the host, in the workspace)
            Span<double> local = d.Scratch.Local(2 * x.C).AsSpan(0, 2 * x.C);
            ToDoubles(d, dgamma, local[..x.C]);
            ToDoubles(d, dbeta, local[x.C..]);
            double[] sums = AllReduceChannels(d, local, count);
            count = (float)sums[2 * x.C];
            sumGX = partial.SubView(0, x.C);
            sumG = partial.SubView(x.C, x.C);
            UploadFloats(d, sums.AsSpan(0, x.C), 1, sumGX);
            UploadFloats(d, sums.AsSpan(x.C, x.C), 1, sumG);
        }

        int threads = d.GridStrideThreads(x.Length);
        d.Kernel("bn.bwd.input", BackwardInputKernel)(
            threads, x.View, y.View, dy.View, mean, invStd, gamma, sumGX, sumG, dx.View, Dims.Of(x), count, (relu ? 1 : 0) | (accumulate ? 2 : 0), threads);
    }

    private static void CheckChannels(int c, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta)
    {
        Check.Length(mean, c, "mean");
        Check.Length(invStd, c, "invStd");
        Check.Length(gamma, c, "gamma");
        if (beta.IsValid)
            Check.Length(beta, c, "beta");
    }

    // thread (c, j): pass 0 sums x, pass 1 sums (x − mean[c])², over elements j, j + parts, … of channel c
    internal static void StatisticsPartialKernel(Index1D index, ArrayView<float> x, ArrayView<float> partial, ArrayView<float> mean, Dims s, int parts, int pass)
    {
        int c = index / parts;
        int j = index % parts;
        int spatial = s.H * s.W;
        int m = s.N * spatial; // 32-bit division is much faster on GPUs; Parts checks that it fits
        float mu = pass == 0 ? 0f : mean[c];
        float sum = 0f;
        for (int e = j; e < m; e += parts)
        {
            float v = x[((((long)(e / spatial) * s.C) + c) * spatial) + (e % spatial)] - mu;
            sum += pass == 0 ? v : v * v;
        }

        partial[index] = sum;
    }

    // group c (GroupSum.Size threads) sums channel c's partials as a tree; thread 0 finishes over m values.
    // flags: 1 training, 2 running stats present, 4 counter present, 8 variance pass (else mean pass),
    // 16 only the channel's sum into invStd[c] (SyncBN all-reduces it on the host)
    internal static void StatisticsFinishKernel(ArrayView<float> partial, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, float m, float momentum, float eps, int parts, int flags)
    {
        int c = Grid.IdxX;
        if ((flags & 1) == 0)
        {
            if (Group.IdxX == 0)
            {
                mean[c] = runningMean[c];
                invStd[c] = 1f / XMath.Sqrt(runningVar[c] + eps);
            }

            return;
        }

        float own = 0f;
        for (int j = Group.IdxX; j < parts; j += Group.DimX)
            own += partial[(c * parts) + j];
        float sum = GroupSum.Of(own);
        if (Group.IdxX != 0)
            return;
        if ((flags & 16) != 0)
        {
            invStd[c] = sum;
            return;
        }
        if ((flags & 8) == 0)
        {
            mean[c] = sum / m;
            return;
        }

        invStd[c] = 1f / XMath.Sqrt((sum / m) + eps);
        if ((flags & 2) != 0)
        {
            runningMean[c] = ((1f - momentum) * runningMean[c]) + (momentum * mean[c]);
            runningVar[c] = ((1f - momentum) * runningVar[c]) + (momentum * (sum / (m - 1f)));
        }

        if ((flags & 4) != 0 && c == 0)
            counter[0] += 1f;
    }

    // thread (c, j): Σ g and Σ g·(x − mean) over elements j, j + parts, … of channel c; g = dy masked by ReLU
    internal static void BackwardPartialKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy,
        ArrayView<float> mean, ArrayView<float> partial, Dims s, int parts, int relu)
    {
        int c = index / parts;
        int j = index % parts;
        int spatial = s.H * s.W;
        int m = s.N * spatial;
        float mu = mean[c];
        float sumG = 0f;
        float sumGX = 0f;
        for (int e = j; e < m; e += parts)
        {
            long i = ((((long)(e / spatial) * s.C) + c) * spatial) + (e % spatial);
            float g = relu != 0 && y[i] <= 0f ? 0f : dy[i];
            sumG += g;
            sumGX += g * (x[i] - mu);
        }

        partial[2 * index] = sumG;
        partial[(2 * index) + 1] = sumGX;
    }

    // dβ = Σ g, dγ = invStd · Σ g·(x − mean): group c sums channel c's partials as a tree
    internal static void BackwardParamsKernel(ArrayView<float> partial, ArrayView<float> invStd, ArrayView<float> dgamma, ArrayView<float> dbeta, int parts)
    {
        int c = Grid.IdxX;
        float ownG = 0f;
        float ownGX = 0f;
        for (int j = Group.IdxX; j < parts; j += Group.DimX)
        {
            ownG += partial[2 * ((c * parts) + j)];
            ownGX += partial[(2 * ((c * parts) + j)) + 1];
        }

        float sumG = GroupSum.Of(ownG);
        float sumGX = GroupSum.Of(ownGX);
        if (Group.IdxX == 0)
        {
            dbeta[c] = sumG;
            dgamma[c] = sumGX * invStd[c];
        }
    }

    // m values per channel (all ranks' under SyncBN, with dγ, dβ their sums); flags: 1 relu, 2 accumulate
    internal static void BackwardInputKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> mean,
        ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> dgamma, ArrayView<float> dbeta, ArrayView<float> dx, Dims s, float m, int flags, int stride)
    {
        int spatial = s.H * s.W;
        long total = s.Length;
        for (long i = index; i < total; i += stride)
        {
            int c = ((int)i / spatial) % s.C; // 32-bit: the host checked x's length
            float g = (flags & 1) != 0 && y[i] <= 0f ? 0f : dy[i];
            float xhat = (x[i] - mean[c]) * invStd[c];
            float v = gamma[c] * invStd[c] / m * ((m * g) - dbeta[c] - (xhat * dgamma[c]));
            dx[i] = (flags & 2) != 0 ? dx[i] + v : v;
        }
    }

    // the backward's arguments; returns the y to hand the kernels (x where y is absent: never read without the ReLU)
    private static Tensor CheckBackward(Tensor x, Tensor y, Tensor dy, Tensor dx, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> gamma, ArrayView<float> dgamma, ArrayView<float> dbeta, bool relu)
    {
        Check.Valid(x, "x");
        if (relu || y.View.IsValid)
            Check.SameShape(x, y, "x", "y");
        Check.SameShape(x, dy, "x", "dy");
        if (dx.View.IsValid)
            Check.SameShape(x, dx, "x", "dx");
        CheckChannels(x.C, mean, invStd, gamma, default);
        Check.Length(dgamma, x.C, "dgamma");
        Check.Length(dbeta, x.C, "dbeta");
        return y.View.IsValid ? y : x;
    }

    // eps, the running statistics (C each, where given, and always in eval) and, in training, more than one value a channel
    private static void CheckStatistics(Tensor x, ArrayView<float> runningMean, ArrayView<float> runningVar, float eps, bool training)
    {
        Check.That(eps > 0f, "eps must be positive");
        if (runningMean.IsValid || !training)
        {
            Check.Length(runningMean, x.C, "runningMean");
            Check.Length(runningVar, x.C, "runningVar");
        }

        if (training)
            Check.That((long)x.N * x.Spatial > 1, $"batch norm in training needs more than one value per channel, got {x}");
    }
}
