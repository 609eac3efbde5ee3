using System.Numerics.Tensors;
using ILGPU;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Losses as host code over CPU-accelerator memory. Softmax cross-entropy works on blocks of pixels of one image:
/// max, Σ exp and log over the block are TensorPrimitives calls over each class plane's row of the block; each
/// block's partial sum is kept and the partials are added in block order (deterministic).
/// </summary>
public static unsafe partial class Losses
{
    private const int Block = 1024;

    // logits (N,K,h,w), labels (N,h,w) → (Σ loss over valid pixels (when withLoss), #valid)
    private static (double Sum, long Count) CrossEntropySumsHost(Tensor logitsT, LabelMap labelsT, int ignore, bool withLoss)
    {
        float* logits = HostOps.P(logitsT.View);
        int* labels = HostAccess.Pointer(labelsT.View);
        int k = logitsT.C, hw = logitsT.Spatial;
        int blocks = (hw + Block - 1) / Block, tasks = logitsT.N * blocks;
        var sums = new float[tasks];
        var counts = new long[tasks];
        HostOps.Tasks(tasks, withLoss ? logitsT.Length : labelsT.Length, t =>
        {
            int n = t / blocks, p0 = t % blocks * Block, len = Math.Min(Block, hw - p0);
            int* lab = labels + ((long)n * hw) + p0;
            float* first = logits + ((long)n * k * hw) + p0; // class c of pixel p at first[c·hw + p]
            long count = 0;
            for (int p = 0; p < len; p++)
                count += lab[p] != ignore ? 1 : 0;
            counts[t] = count;
            if (!withLoss || count == 0)
                return;

            Span<float> max = stackalloc float[len], sum = stackalloc float[len], e = stackalloc float[len];
            LogSumExp(first, k, hw, max, sum, e);
            TensorPrimitives.Log(sum, sum);
            float loss = 0f;
            for (int p = 0; p < len; p++)
            {
                int label = lab[p];
                if (label != ignore)
                    loss += label < 0 || label >= k ? float.NaN : sum[p] + max[p] - first[((long)label * hw) + p];
            }

            sums[t] = loss;
        });
        double total = 0;
        long valid = 0;
        for (int t = 0; t < tasks; t++)
        {
            total += sums[t];
            valid += counts[t];
        }

        return (total, valid);
    }

    // max[p] = max_c x[c·hw + p], sum[p] = Σ_c exp(x[c·hw + p] − max[p]) over one block (e: scratch)
    private static void LogSumExp(float* first, int k, int hw, Span<float> max, Span<float> sum, Span<float> e)
    {
        int len = max.Length;
        new ReadOnlySpan<float>(first, len).CopyTo(max);
        for (int c = 1; c < k; c++)
            TensorPrimitives.Max(max, new ReadOnlySpan<float>(first + ((long)c * hw), len), max);
        sum.Clear();
        for (int c = 0; c < k; c++)
        {
            TensorPrimitives.Subtract(new ReadOnlySpan<float>(first + ((long)c * hw), len), max, e);
            TensorPrimitives.Exp(e, e);
            TensorPrimitives.Add(sum, e, sum);
        }
    }

    private static void SoftmaxCrossEntropyHost(Device d, Tensor logits, LabelMap labels, int ignore, ArrayView<float> lossV)
    {
        (double sum, long count) = CrossEntropySumsHost(logits, labels, ignore, withLoss: true);
        double valid = ValidPerRank(d, count);
        HostOps.P(lossV)[0] = valid > 0 ? (float)(sum / valid) : 0f;
    }

    // dlogits (+)= (softmax − onehot(label)) · weight/#valid at valid pixels (NaN for a label outside [0, K)), 0 at ignored ones
    private static void SoftmaxCrossEntropyBackwardHost(Device d, Tensor logitsT, LabelMap labelsT, int ignore, float weight, Tensor dlogitsT, bool accumulate)
    {
        double valid = ValidPerRank(d, CrossEntropySumsHost(logitsT, labelsT, ignore, withLoss: false).Count);
        float scale = valid > 0 ? weight / (float)valid : 0f; // in one process as before: weight / (float)#valid
        float* logits = HostOps.P(logitsT.View), dlogits = HostOps.P(dlogitsT.View);
        int* labels = HostAccess.Pointer(labelsT.View);
        int k = logitsT.C, hw = logitsT.Spatial;
        int blocks = (hw + Block - 1) / Block;
        HostOps.Tasks(logitsT.N * blocks, logitsT.Length, t =>
        {
            int n = t / blocks, p0 = t % blocks * Block, len = Math.Min(Block, hw - p0);
            int* lab = labels + ((long)n * hw) + p0;
            long o = ((long)n * k * hw) + p0;
            Span<float> max = stackalloc float[len], sum = stackalloc float[len], e = stackalloc float[len], w = stackalloc float[len];
            LogSumExp(logits + o, k, hw, max, sum, e);

            // per pixel: the weight scale, 0 where ignored, NaN for a label that is neither a class nor ignored
            for (int p = 0; p < len; p++)
                w[p] = lab[p] == ignore ? 0f : lab[p] < 0 || lab[p] >= k ? float.NaN : scale;

            // g (+)= w · softmax, class by class (vectorised) ...
            for (int c = 0; c < k; c++)
            {
                var g = new Span<float>(dlogits + o + ((long)c * hw), len);
                TensorPrimitives.Subtract(new ReadOnlySpan<float>(logits + o + ((long)c * hw), len), max, e);
                TensorPrimitives.Exp(e, e);
                TensorPrimitives.Divide(e, sum, e);
                TensorPrimitives.Multiply(e, w, e);
                if (accumulate)
                    TensorPrimitives.Add(g, e, g);
                else
                    e.CopyTo(g);
            }

            // ... then − w at each pixel's label (the one-hot term)
            for (int p = 0; p < len; p++)
            {
                int label = lab[p];
                if (label != ignore && label >= 0 && label < k)
                    dlogits[o + ((long)label * hw) + p] -= w[p];
            }
        });
    }

    // presence (N·K) = [k among image n's non-ignored labels]; an out-of-range label makes presence[n·K] NaN
    private static void PresenceHost(LabelMap labelsT, ArrayView<float> presenceV, int k, int ignore)
    {
        int* labels = HostAccess.Pointer(labelsT.View);
        float* presence = HostOps.P(presenceV);
        int plane = labelsT.H * labelsT.W;
        HostOps.Tasks(labelsT.N, labelsT.Length, n =>
        {
            float* row = presence + ((long)n * k);
            new Span<float>(row, k).Clear();
            bool bad = false;
            int* lab = labels + ((long)n * plane);
            for (int p = 0; p < plane; p++)
            {
                int label = lab[p];
                if (label == ignore)
                    continue;
                if (label >= 0 && label < k)
                    row[label] = 1f;
                else
                    bad = true;
            }

            if (bad)
                row[0] = float.NaN;
        });
    }

    // BCE(x, t) = max(x, 0) − x·t + log(1 + e^{−|x|}), mean over N·K
    private static void BceForwardHost(Tensor logitsT, ArrayView<float> presenceV, ArrayView<float> lossV)
    {
        float* logits = HostOps.P(logitsT.View), presence = HostOps.P(presenceV);
        int n = logitsT.N * logitsT.C;
        float sum = 0f;
        for (int i = 0; i < n; i++)
        {
            float x = logits[i];
            sum += MathF.Max(x, 0f) - (x * presence[i]) + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));
        }

        HostOps.P(lossV)[0] = sum / n;
    }

    // dlogits (+)= weight · (σ(x) − t) / (N·K)
    private static void BceBackwardHost(Tensor logitsT, ArrayView<float> presenceV, Tensor dlogitsT, float weight, bool accumulate)
    {
        float* logits = HostOps.P(logitsT.View), presence = HostOps.P(presenceV), dlogits = HostOps.P(dlogitsT.View);
        int n = logitsT.N * logitsT.C;
        for (int i = 0; i < n; i++)
        {
            float g = ((1f / (1f + MathF.Exp(-logits[i]))) - presence[i]) * weight / n;
            dlogits[i] = accumulate ? dlogits[i] + g : g;
        }
    }
}
