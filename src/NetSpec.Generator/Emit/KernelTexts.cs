namespace NetSpec.Generator.Emit;

/// <summary>The text of each specialised kernel and its launcher (class name and K substituted).</summary>
internal static class KernelTexts
{
    private const string Indent = "    ";

    private static string Indented(string text) =>
        Indent + text.Replace("\n", "\n" + Indent).Replace("\n" + Indent + "\n", "\n\n").TrimEnd(' ');

    public static string SoftmaxCrossEntropy(string cls, int k) => Indented($$"""
/// <summary>
/// Softmax cross-entropy with K = {{k}} classes, per pixel: sums[0] += log Σ_k exp(z_k) − z_label, sums[1] += 1
/// over pixels whose label is not ignored (a label outside 0..K−1 makes the loss NaN, as in the runtime's op). One atomic add per thread.
/// </summary>
private static void SoftmaxCrossEntropyK{{k}}Kernel(Index1D index, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> sums, int spatial, int ignoreIndex, int threads)
{
    const int K = {{k}};
    float loss = 0f, valid = 0f;
    for (long p = index; p < labels.Length; p += threads)
    {
        int label = labels[p];
        if (label == ignoreIndex)
            continue;
        if (label < 0 || label >= K)
        {
            loss = float.NaN; // a label that is neither a class nor ignored: visible, never dropped
            valid += 1f;
            continue;
        }

        long first = p / spatial * K * spatial + p % spatial;
        float max = logits[first];
        for (int k = 1; k < K; k++)
            max = XMath.Max(max, logits[first + k * spatial]);
        float sum = 0f;
        for (int k = 0; k < K; k++)
            sum += XMath.Exp(logits[first + k * spatial] - max);
        loss += max + XMath.Log(sum) - logits[first + label * spatial];
        valid += 1f;
    }

    Atomic.Add(ref sums[0], loss);
    Atomic.Add(ref sums[1], valid);
}

/// <summary>loss = sums[0] / sums[1], 0 when every pixel is ignored.</summary>
private static void SoftmaxCrossEntropyK{{k}}MeanKernel(Index1D index, ArrayView<float> sums, ArrayView<float> loss)
{
    loss[0] = sums[1] > 0f ? sums[0] / sums[1] : 0f;
}

private void SoftmaxCrossEntropyForwardK{{k}}(Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> sums, ArrayView<float> loss)
{
    if (logits.C != {{k}} || logits.N != labels.N || logits.H != labels.H || logits.W != labels.W)
        throw new ArgumentException($"softmax cross-entropy: logits {logits} must be (N,{{k}},H,W) for labels ({labels.N},{labels.H},{labels.W})");
    if (Device.HostCode)
    {
        Losses.SoftmaxCrossEntropy(Device, logits, labels, ignoreIndex, loss); // vectorised host code; the kernel is for GPUs
        return;
    }

    var kernel = Device.Kernel("{{cls}}.SoftmaxCrossEntropyK{{k}}", SoftmaxCrossEntropyK{{k}}Kernel);
    var mean = Device.Kernel("{{cls}}.SoftmaxCrossEntropyK{{k}}Mean", SoftmaxCrossEntropyK{{k}}MeanKernel);
    Elementwise.Fill(Device, sums, 0f);
    int threads = Device.GridStrideThreads(labels.Length);
    kernel(threads, logits.View, labels.View, sums, logits.Spatial, ignoreIndex, threads);
    mean(1, sums, loss);
}

/// <summary>dlogits (=|+=) weight / valid · (softmax(z) − onehot(label)) per pixel; 0 at ignored pixels.</summary>
private static void SoftmaxCrossEntropyK{{k}}BackwardKernel(Index1D index, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> sums, ArrayView<float> dlogits, int spatial, int ignoreIndex, float weight, int accumulate, int threads)
{
    const int K = {{k}};
    float scale = sums[1] > 0f ? weight / sums[1] : 0f;
    for (long p = index; p < labels.Length; p += threads)
    {
        int label = labels[p];
        bool ignored = label == ignoreIndex;
        float bad = label < 0 || label >= K ? float.NaN : 0f;
        long first = p / spatial * K * spatial + p % spatial;
        float max = logits[first];
        for (int k = 1; k < K; k++)
            max = XMath.Max(max, logits[first + k * spatial]);
        float sum = 0f;
        for (int k = 0; k < K; k++)
            sum += XMath.Exp(logits[first + k * spatial] - max);
        for (int k = 0; k < K; k++)
        {
            long i = first + k * spatial;
            float g = ignored ? 0f : scale * (XMath.Exp(logits[i] - max) / sum - (k == label ? 1f : 0f)) + bad;
            dlogits[i] = accumulate != 0 ? dlogits[i] + g : g;
        }
    }
}

private void SoftmaxCrossEntropyBackwardK{{k}}(Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> sums, float weight, Tensor dlogits, bool accumulate)
{
    if (dlogits.Length != logits.Length)
        throw new ArgumentException($"softmax cross-entropy backward: dlogits {dlogits} must match logits {logits}");
    if (Device.HostCode)
    {
        Losses.SoftmaxCrossEntropyBackward(Device, logits, labels, ignoreIndex, weight, dlogits, accumulate);
        return;
    }

    var kernel = Device.Kernel("{{cls}}.SoftmaxCrossEntropyK{{k}}Backward", SoftmaxCrossEntropyK{{k}}BackwardKernel);
    int threads = Device.GridStrideThreads(labels.Length);
    kernel(threads, logits.View, labels.View, sums, dlogits.View, logits.Spatial, ignoreIndex, weight, accumulate ? 1 : 0, threads);
}

""");
}
