using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Batch norm as a network step calls it: statistics and normalisation in one call, with the ReLU and, at the end of
/// a ResNet bottleneck, the residual add between them (y = ReLU(BN(x) + r)). Kernels: two launches in training (the
/// slices' partials; their finish with the normalisation), one in eval (the running statistics folded into the
/// normalisation); backward two (the slices' partial sums; their finish with dx and the residual's gradient).
/// Host code computes exactly what the separate batchnorm, add and relu ops computed.
/// </summary>
public static partial class BatchNorm
{
    /// <summary>Partials a channel at most: a group's reduction each, so that every later group can finish them itself.</summary>
    internal const int MaxSlices = 64;

    // x, residual (absent or like x), y (N,C,H,W); mean, invStd, runningMean, runningVar, gamma, beta (C); counter (1) or default
    public static void Forward(Device d, Tensor x, Tensor residual, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, ArrayView<float> gamma, ArrayView<float> beta,
        Tensor y, float momentum, float eps, bool training, bool relu)
    {
        bool add = residual.View.IsValid;
        if (add)
            Check.SameShape(x, residual, "x", "residual");
        if (d.HostCode || (training && Synced(d)))
        {
            Statistics(d, x, mean, invStd, runningMean, runningVar, counter, momentum, eps, training);
            if (!d.HostCode)
            {
                ApplySlices(d, x, residual, mean, invStd, default, default, default, gamma, beta, y, 0, eps, ApplyGiven | (add ? ApplyResidual : 0) | (relu ? ApplyRelu : 0));
                return;
            }

            d.Synchronize();
            ApplyHost(x, residual, mean, invStd, gamma, beta, y, relu);
            return;
        }

        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        CheckChannels(x.C, mean, invStd, gamma, beta);
        Check.Length(beta, x.C, "beta");
        CheckStatistics(x, runningMean, runningVar, eps, training);
        bool running = runningMean.IsValid;
        int flags = (add ? ApplyResidual : 0) | (relu ? ApplyRelu : 0);
        if (!training)
        {
            ApplySlices(d, x, residual, mean, invStd, runningMean, runningVar, default, gamma, beta, y, momentum, eps, flags);
            return;
        }

        ChannelSlices slices = Slices(d, x);
        ArrayView<float> partial = d.Workspace(2L * x.C * slices.PerChannel);
        d.GroupKernel("bn.fwd.stats", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, Dims, int>(SliceStatisticsKernel))(
            GroupSum.Config(d, x.C * slices.PerChannel), x.View, partial, Dims.Of(x), slices.PerChannel);
        flags |= ApplyBatch | (running ? ApplyRunning : 0) | (counter.IsValid ? ApplyCounter : 0);
        ApplySlices(d, x, residual, mean, invStd, runningMean, runningVar, counter, gamma, beta, y, momentum, eps, flags, partial, slices);
    }

    // g = dy·[y > 0 when relu]; dβ = Σg; dγ = Σg·x̂; dx (=|+=) γ·invStd/M · (M·g − dβ − x̂·dγ); dr (=|+=) g (the residual's
    // gradient, when given). y is read only for the ReLU's mask; dx and dr may be absent.
    public static void Backward(Device d, Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma,
        Tensor dx, ArrayView<float> dgamma, ArrayView<float> dbeta, Tensor dr, bool relu, bool accumulate, bool accumulateResidual)
    {
        bool wantResidual = dr.View.IsValid;
        if (wantResidual)
        {
            Check.That(relu, "a residual gradient needs the ReLU's mask (the fused step is BN + add + ReLU)");
            Check.SameShape(x, dr, "x", "dr");
        }

        if (d.HostCode || Synced(d))
        {
            BackwardUnfused(d, x, y, dy, mean, invStd, gamma, dx, dgamma, dbeta, relu, accumulate);
            if (wantResidual)
                Activation.ReluBackward(d, y, dy, dr, accumulateResidual); // the residual's gradient: dy masked by the ReLU
            return;
        }

        y = CheckBackward(x, y, dy, dx, mean, invStd, gamma, dgamma, dbeta, relu);
        bool wantInput = dx.View.IsValid; // absent (default) when the input needs no gradient
        Check.Fits32(x, "x");
        ChannelSlices slices = Slices(d, x);
        ArrayView<float> partial = d.Workspace(2L * x.C * slices.PerChannel);
        KernelConfig config = GroupSum.Config(d, x.C * slices.PerChannel);
        d.GroupKernel("bn.bwd.sums", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, int, int>(SliceGradientSumsKernel))(
            config, x.View, y.View, dy.View, mean, partial, Dims.Of(x), slices.PerChannel, relu ? 1 : 0);
        int flags = (relu ? BackRelu : 0) | (wantInput ? BackDx : 0) | (accumulate ? BackAccumulateDx : 0)
            | (wantResidual ? BackDr : 0) | (accumulateResidual ? BackAccumulateDr : 0);
        d.GroupKernel("bn.bwd.apply", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, int, int>(SliceGradientApplyKernel))(
            config, x.View, y.View, dy.View, mean, invStd, gamma, partial, dgamma, dbeta, wantInput ? dx.View : dy.View, wantResidual ? dr.View : dy.View,
            Dims.Of(x), slices.PerChannel, flags);
    }

    /// <summary>
    /// Groups a channel: enough to fill the device (<see cref="Device.GridStrideThreads"/>), at most <see cref="MaxSlices"/>,
    /// and none that would have fewer than two elements a thread.
    /// </summary>
    internal static ChannelSlices Slices(Device d, Tensor x)
    {
        long m = (long)x.N * x.Spatial;
        Check.Fits32(x, "x");
        int size = GroupSum.Size(d);
        Check.That(m + (2L * MaxSlices * size) < int.MaxValue, $"batch norm over {m} values per channel exceeds 2^31");
        long groups = d.GridStrideThreads(m * x.C) / size;
        long most = Math.Max(1, Math.Min(MaxSlices, m / size)); // every slice holds at least a group's worth
        int perChannel = (int)Math.Clamp(d.BatchNormSlices > 0 ? d.BatchNormSlices : Math.Min(groups / x.C, m / (2L * size)), 1, most);
        return new ChannelSlices(perChannel, size, (int)m);
    }

    private static void ApplySlices(Device d, Tensor x, Tensor residual, ArrayView<float> mean, ArrayView<float> invStd,
        ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, ArrayView<float> gamma, ArrayView<float> beta,
        Tensor y, float momentum, float eps, int flags, ArrayView<float> partial = default, ChannelSlices slices = default)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        if (slices.PerChannel == 0)
            slices = Slices(d, x);
        ArrayView<float> Or(ArrayView<float> v) => v.IsValid ? v : mean; // never read without its flag
        d.GroupKernel("bn.fwd.apply", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Dims, BatchNormScalars>(SliceApplyKernel))(
            GroupSum.Config(d, x.C * slices.PerChannel), x.View, residual.View.IsValid ? residual.View : x.View, Or(partial), mean, invStd,
            Or(runningMean), Or(runningVar), Or(counter), gamma, beta, y.View, Dims.Of(x), new BatchNormScalars(slices.PerChannel, momentum, eps, flags));
    }
}
