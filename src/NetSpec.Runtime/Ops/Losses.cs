using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Softmax cross-entropy (mean over non-ignored pixels) and binary cross-entropy with logits against
/// class-presence targets built on the device from the label map. Sums are deterministic: each of a fixed
/// number of threads sums a strided share into a partial, and one group adds the partials as a fixed tree.
/// A label outside [0, K) that is not the ignore label makes the loss NaN (visible, never silently dropped).
/// </summary>
public static partial class Losses
{
    // Threads of the partial-sum pass (and partials the finishing group adds). 4,096 left most of a GPU idle on
    // sanet-r50's 8×480² labels (docs/benchmarks.md, "Runtime constants and their measurements"; docs/design/gpu-path.md).
    // 65,536 threads still give each ~28 pixels of that map, and one group of 1,024 adds
    // their partials in 64 strided sums and a tree: a fixed order, so the bits stay reproducible.
    private const int MaxPartials = 65536;

    // logits (N,K,h,w), labels (N,h,w) → loss[0] = Σ_valid −log softmax(logits)[label] / #valid  (0 when none)
    public static void SoftmaxCrossEntropy(Device d, Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> loss)
    {
        CheckDense(logits, labels);
        Check.Length(loss, 1, "loss");
        if (d.HostCode)
        {
            d.Synchronize();
            SoftmaxCrossEntropyHost(logits, labels, ignoreIndex, loss);
            return;
        }

        int parts = Partials(d, labels.Length);
        ArrayView<float> ws = d.Workspace(2L * parts);
        d.Kernel("ce.partial", CrossEntropyPartialKernel)(
            parts, logits.View, labels.View, ws, Dims.Of(logits), ignoreIndex, 1, parts);
        d.GroupKernel("ce.finish", acc => acc.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int>(CrossEntropyFinishKernel))(
            GroupSum.Config(d, 1), ws, loss, parts);
    }

    // dlogits (+)= weight · (softmax − onehot(label)) / #valid at valid pixels, 0 at ignored ones
    public static void SoftmaxCrossEntropyBackward(Device d, Tensor logits, LabelMap labels, int ignoreIndex, float weight, Tensor dlogits, bool accumulate)
    {
        CheckDense(logits, labels);
        Check.SameShape(logits, dlogits, "logits", "dlogits");
        if (d.HostCode)
        {
            d.Synchronize();
            SoftmaxCrossEntropyBackwardHost(logits, labels, ignoreIndex, weight, dlogits, accumulate);
            return;
        }

        int parts = Partials(d, labels.Length);
        ArrayView<float> ws = d.Workspace((2L * parts) + 1);
        d.Kernel("ce.partial", CrossEntropyPartialKernel)(
            parts, logits.View, labels.View, ws, Dims.Of(logits), ignoreIndex, 0, parts);
        d.GroupKernel("ce.count", acc => acc.LoadStreamKernel<ArrayView<float>, int>(CountFinishKernel))(GroupSum.Config(d, 1), ws, parts);
        int threads = d.GridStrideThreads(labels.Length);
        d.Kernel("ce.bwd", CrossEntropyBackwardKernel)(
            threads, logits.View, labels.View, ws.SubView(2L * parts, 1), dlogits.View, Dims.Of(logits), ignoreIndex, weight, accumulate ? 1 : 0, threads);
    }

    // logits (N,K,1,1); t(n,k) = [k occurs among image n's non-ignored labels]; loss[0] = mean over N·K of BCE
    public static void BceWithLogitsPresence(Device d, Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> loss)
    {
        ArrayView<float> presence = Presence(d, logits, labels, ignoreIndex);
        Check.Length(loss, 1, "loss");
        if (d.HostCode)
        {
            BceForwardHost(logits, presence, loss);
            return;
        }

        d.Kernel("bce.fwd", BceForwardKernel)(
            1, logits.View, presence, loss, logits.N * logits.C);
    }

    // dlogits (+)= weight · (σ(logit) − t) / (N·K)
    public static void BceWithLogitsPresenceBackward(Device d, Tensor logits, LabelMap labels, int ignoreIndex, float weight, Tensor dlogits, bool accumulate)
    {
        Check.SameShape(logits, dlogits, "logits", "dlogits");
        ArrayView<float> presence = Presence(d, logits, labels, ignoreIndex);
        if (d.HostCode)
        {
            BceBackwardHost(logits, presence, dlogits, weight, accumulate);
            return;
        }

        int n = logits.N * logits.C;
        int threads = d.GridStrideThreads(n);
        d.Kernel("bce.bwd", BceBackwardKernel)(
            threads, logits.View, presence, dlogits.View, n, weight, accumulate ? 1 : 0, threads);
    }

    private static int Partials(Device d, long n) => Math.Min(d.GridStrideThreads(n), MaxPartials);

    private static void CheckDense(Tensor logits, LabelMap labels)
    {
        Check.Valid(logits, "logits");
        Check.Fits32(logits, "logits"); // kernels take pixel indices apart in 32 bits (labels are shorter than logits)
        Check.Length(labels.View, labels.Length, "labels");
        Check.That(labels.N == logits.N && labels.H == logits.H && labels.W == logits.W,
            $"labels ({labels.N},{labels.H},{labels.W}) must match logits {logits} in N, H, W");
    }

    private static ArrayView<float> Presence(Device d, Tensor logits, LabelMap labels, int ignoreIndex)
    {
        Check.Valid(logits, "logits");
        Check.That(logits.H == 1 && logits.W == 1, $"presence logits {logits} must be (N,K,1,1)");
        Check.That(labels.N == logits.N && labels.Length > 0, $"labels ({labels.N},{labels.H},{labels.W}) must have logits' batch {logits.N}");
        Check.Length(labels.View, labels.Length, "labels");
        Check.That(labels.Length <= int.MaxValue, $"labels ({labels.N},{labels.H},{labels.W}) exceed 2^31 - 1 pixels");
        long targets = (long)logits.N * logits.C;
        ArrayView<float> ws = d.Workspace(targets + logits.N);
        ArrayView<float> presence = ws.SubView(0, targets);
        if (d.HostCode)
        {
            d.Synchronize();
            PresenceHost(labels, presence, logits.C, ignoreIndex);
            return presence;
        }

        ArrayView<float> invalid = ws.SubView(targets, logits.N);
        Elementwise.Fill(d, ws.SubView(0, targets + logits.N), 0f);
        int threads = d.GridStrideThreads(labels.Length);
        d.Kernel("presence", PresenceKernel)(
            threads, labels.View, presence, invalid, labels.Length, labels.H * labels.W, logits.C, ignoreIndex, threads);
        d.Kernel("presence.invalid", InvalidLabelKernel)(
            logits.N, presence, invalid, logits.C);
        return presence;
    }

    /// <summary>−log softmax(logits at pixel)[label], via max-shifted log-sum-exp.</summary>
    private static float PixelLoss(ArrayView<float> logits, long first, long plane, int k, int label)
    {
        float max = logits[first];
        for (int c = 1; c < k; c++)
            max = XMath.Max(max, logits[first + (c * plane)]);
        float sum = 0f;
        for (int c = 0; c < k; c++)
            sum += XMath.Exp(logits[first + (c * plane)] - max);
        return XMath.Log(sum) + max - logits[first + (label * plane)];
    }

    // thread t: ws[t] = Σ loss over its pixels (when withLoss), ws[parts + t] = #valid pixels
    internal static void CrossEntropyPartialKernel(Index1D index, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> ws, Dims s, int ignore, int withLoss, int parts)
    {
        int plane = s.H * s.W;
        long pixels = (long)s.N * plane;
        float sum = 0f;
        float count = 0f;
        for (long p = index; p < pixels; p += parts)
        {
            int label = labels[p];
            if (label == ignore)
                continue;
            count += 1f;
            if (withLoss == 0)
                continue;
            long first = ((long)((int)p / plane) * s.C * plane) + ((int)p % plane); // 32-bit: the host checked the length
            sum += label < 0 || label >= s.C ? float.NaN : PixelLoss(logits, first, plane, s.C, label);
        }

        ws[index] = sum;
        ws[parts + index] = count;
    }

    // one group: the partials summed as a tree (GroupSum), then loss = Σ loss / #valid (0 when none)
    internal static void CrossEntropyFinishKernel(ArrayView<float> ws, ArrayView<float> loss, int parts)
    {
        float ownSum = 0f;
        float ownCount = 0f;
        for (int t = Group.IdxX; t < parts; t += Group.DimX)
        {
            ownSum += ws[t];
            ownCount += ws[parts + t];
        }

        float sum = GroupSum.Of(ownSum);
        float count = GroupSum.Of(ownCount);
        if (Group.IdxX == 0)
            loss[0] = count > 0f ? sum / count : 0f;
    }

    // one group: ws[2·parts] = #valid pixels, the partial counts summed as a tree
    internal static void CountFinishKernel(ArrayView<float> ws, int parts)
    {
        float own = 0f;
        for (int t = Group.IdxX; t < parts; t += Group.DimX)
            own += ws[parts + t];
        float count = GroupSum.Of(own);
        if (Group.IdxX == 0)
            ws[2 * parts] = count;
    }

    internal static void CrossEntropyBackwardKernel(Index1D index, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> count,
        ArrayView<float> dlogits, Dims s, int ignore, float weight, int accumulate, int stride)
    {
        int plane = s.H * s.W;
        long pixels = (long)s.N * plane;
        float scale = count[0] > 0f ? weight / count[0] : 0f;
        for (long p = index; p < pixels; p += stride)
        {
            int label = labels[p];
            long first = ((long)((int)p / plane) * s.C * plane) + ((int)p % plane); // 32-bit: the host checked the length
            bool valid = label != ignore;
            float bad = label < 0 || label >= s.C ? float.NaN : 0f;
            float max = logits[first];
            for (int c = 1; c < s.C; c++)
                max = XMath.Max(max, logits[first + (c * plane)]);
            float sum = 0f;
            for (int c = 0; c < s.C; c++)
                sum += XMath.Exp(logits[first + (c * plane)] - max);
            for (int c = 0; c < s.C; c++)
            {
                long i = first + (c * plane);
                float g = valid ? (((XMath.Exp(logits[i] - max) / sum) - (c == label ? 1f : 0f)) * scale) + bad : 0f;
                dlogits[i] = accumulate != 0 ? dlogits[i] + g : g;
            }
        }
    }

    // every write to a slot writes the same value (1 for a class present, 1 for an image's invalid flag), so the
    // result does not depend on which thread's write lands last
    internal static void PresenceKernel(Index1D index, ArrayView<int> labels, ArrayView<float> presence, ArrayView<float> invalid, long n, int plane, int k, int ignore, int stride)
    {
        for (long p = index; p < n; p += stride)
        {
            int label = labels[p];
            if (label == ignore)
                continue;
            int image = (int)p / plane; // 32-bit: the host checked the length
            if (label >= 0 && label < k)
                presence[(image * k) + label] = 1f;
            else
                invalid[image] = 1f;
        }
    }

    // after every presence is written: an image with a label outside [0, K) that is not ignored gets t(n,0) = NaN
    // (the loss visibly wrong, as the host code does)
    internal static void InvalidLabelKernel(Index1D image, ArrayView<float> presence, ArrayView<float> invalid, int k)
    {
        if (invalid[image] != 0f)
            presence[image * k] = float.NaN;
    }

    // BCE(x, t) = max(x, 0) − x·t + log(1 + e^{−|x|})
    internal static void BceForwardKernel(Index1D index, ArrayView<float> logits, ArrayView<float> presence, ArrayView<float> loss, int n)
    {
        float sum = 0f;
        for (int i = 0; i < n; i++)
        {
            float x = logits[i];
            sum += XMath.Max(x, 0f) - (x * presence[i]) + XMath.Log(1f + XMath.Exp(-XMath.Abs(x)));
        }

        loss[0] = sum / n;
    }

    internal static void BceBackwardKernel(Index1D index, ArrayView<float> logits, ArrayView<float> presence, ArrayView<float> dlogits, int n, float weight, int accumulate, int stride)
    {
        for (int i = index; i < n; i += stride)
        {
            float g = ((1f / (1f + XMath.Exp(-logits[i]))) - presence[i]) * weight / n;
            dlogits[i] = accumulate != 0 ? dlogits[i] + g : g;
        }
    }
}
