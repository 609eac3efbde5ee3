using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Data-parallel cross-entropy (docs/distributed.md, "Training"): with more than one rank on the device's communicator,
/// the mean is over the global batch's valid pixels. Each rank divides its own sum by (Σ_ranks #valid) / ranks, so that
/// the trainer's average over ranks of losses and gradients is the global batch's mean, also when ignored pixels
/// (crop padding) fall unevenly between the shards. One all-reduce of one double a loss and a backward.
/// </summary>
public static partial class Losses
{
    /// <summary>This rank's share of the global valid count: its own count in one process.</summary>
    private static double ValidPerRank(Device d, double count)
    {
        if (d.Communicator.Size == 1)
            return count;
        Span<double> total = [count];
        d.Communicator.AllReduceSum(total);
        return total[0] / d.Communicator.Size;
    }

    // kernels: ws[2·parts] = this rank's #valid (CountFinishKernel); rescales loss[0] = Σ/#valid to Σ/(global #valid/ranks)
    private static void SyncLossKernels(Device d, ArrayView<float> ws, ArrayView<float> loss, int parts)
    {
        d.GroupKernel("ce.count", acc => acc.LoadStreamKernel<ArrayView<float>, int>(CountFinishKernel))(GroupSum.Config(d, 1), ws, parts);
        float count = DeviceData.Download(ws.SubView(2L * parts, 1))[0];
        double share = ValidPerRank(d, count);
        float local = DeviceData.Download(loss)[0];
        DeviceData.Upload(loss, [share > 0 && count > 0 ? (float)(local * (count / share)) : 0f]);
    }

    // kernels: replaces this rank's #valid at ws[2·parts] (the backward kernel's divisor) by its share of the global count
    private static void SyncCountKernels(Device d, ArrayView<float> ws, int parts)
    {
        ArrayView<float> count = ws.SubView(2L * parts, 1);
        DeviceData.Upload(count, [(float)ValidPerRank(d, DeviceData.Download(count)[0])]);
    }
}
