namespace NetSpec.Generator.Emit;

/// <summary>The text of each specialised kernel and its launcher (class name and K substituted).</summary>
internal static class KernelTexts
{
    private const string Indent = "    ";

    private static string Indented(string text) =>
        Indent + text.Replace("\n", "\n" + Indent).Replace("\n" + Indent + "\n", "\n\n").TrimEnd(' ');

    public static string AttentionGate(string cls) => Indented($$"""
/// <summary>SA gate forward: y = attn ⊙ res + attn (elementwise, same shapes).</summary>
private static void AttentionGateForwardKernel(Index1D index, ArrayView<float> attn, ArrayView<float> res, ArrayView<float> y, int threads)
{
    for (long i = index; i < y.Length; i += threads)
        y[i] = attn[i] * res[i] + attn[i];
}

private void AttentionGateForward(Tensor attn, Tensor res, Tensor y)
{
    if (attn.Length != y.Length || res.Length != y.Length)
        throw new ArgumentException($"attention gate: attn {attn}, res {res} and y {y} must have one shape");
    var kernel = Device.Kernel("{{cls}}.AttentionGateForward", AttentionGateForwardKernel);
    int threads = Device.GridStrideThreads(y.Length);
    kernel(threads, attn.View, res.View, y.View, threads);
}

/// <summary>SA gate backward: dAttn (=|+=) dy ⊙ (res + 1), dRes (=|+=) dy ⊙ attn. Flags: 1 write dAttn, 2 add to it, 4 write dRes, 8 add to it.</summary>
private static void AttentionGateBackwardKernel(Index1D index, ArrayView<float> attn, ArrayView<float> res, ArrayView<float> dy, ArrayView<float> dAttn, ArrayView<float> dRes, int flags, int threads)
{
    for (long i = index; i < dy.Length; i += threads)
    {
        float g = dy[i];
        if ((flags & 3) != 0)
        {
            float v = g * (res[i] + 1f);
            dAttn[i] = (flags & 2) != 0 ? dAttn[i] + v : v;
        }

        if ((flags & 12) != 0)
        {
            float v = g * attn[i];
            dRes[i] = (flags & 8) != 0 ? dRes[i] + v : v;
        }
    }
}

private void AttentionGateBackward(Tensor attn, Tensor res, Tensor dy, Tensor dAttn, Tensor dRes, bool accumulateAttention, bool accumulateResidual)
{
    bool wantAttention = dAttn.View.IsValid, wantResidual = dRes.View.IsValid;
    int flags = (wantAttention ? (accumulateAttention ? 2 : 1) : 0) | (wantResidual ? (accumulateResidual ? 8 : 4) : 0);
    var kernel = Device.Kernel("{{cls}}.AttentionGateBackward", AttentionGateBackwardKernel);
    int threads = Device.GridStrideThreads(dy.Length);
    kernel(threads, attn.View, res.View, dy.View, wantAttention ? dAttn.View : dy.View, wantResidual ? dRes.View : dy.View, flags, threads);
}

""");

    public static string BatchNormRelu(string cls) => Indented($$"""
/// <summary>BN apply + ReLU: y = max(0, (x − mean[c]) · invStd[c] · γ[c] + β[c]), c the channel of element i.</summary>
private static void BatchNormReluForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y, int channels, int spatial, int threads)
{
    for (long i = index; i < y.Length; i += threads)
    {
        int c = (int)(i / spatial % channels);
        float v = (x[i] - mean[c]) * invStd[c] * gamma[c] + beta[c];
        y[i] = v > 0f ? v : 0f;
    }
}

private void BatchNormReluForward(Tensor x, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta, Tensor y)
{
    if (x.Length != y.Length || mean.Length < x.C || gamma.Length < x.C)
        throw new ArgumentException($"batchnorm+relu: x {x}, y {y}, {gamma.Length} channel parameters");
    var kernel = Device.Kernel("{{cls}}.BatchNormReluForward", BatchNormReluForwardKernel);
    int threads = Device.GridStrideThreads(y.Length);
    kernel(threads, x.View, mean, invStd, gamma, beta, y.View, x.C, x.Spatial, threads);
}

/// <summary>
/// BN + ReLU backward, reductions: dβ[c] = Σ dy′, dγ[c] = Σ dy′·x̂ with dy′ = dy·[y &gt; 0], x̂ = (x − mean)·invStd.
/// Work item j sums one block of up to 1024 pixels of one (image, channel) plane and adds its two partial sums
/// atomically, so a GPU gets N·C·blocks items instead of C (summation order, hence the last bits, may vary).
/// </summary>
private static void BatchNormReluReduceKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> dgamma, ArrayView<float> dbeta, int channels, int spatial, int blocks, long items, int threads)
{
    for (long j = index; j < items; j += threads)
    {
        long plane = j / blocks;
        int c = (int)(plane % channels);
        int start = (int)(j % blocks) * 1024;
        int end = XMath.Min(spatial, start + 1024);
        long first = plane * spatial;
        float sumG = 0f, sumGX = 0f;
        for (int s = start; s < end; s++)
        {
            float g = y[first + s] > 0f ? dy[first + s] : 0f;
            sumG += g;
            sumGX += g * (x[first + s] - mean[c]);
        }

        Atomic.Add(ref dbeta[c], sumG);
        Atomic.Add(ref dgamma[c], sumGX * invStd[c]);
    }
}

private void BatchNormReluReduce(Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> dgamma, ArrayView<float> dbeta)
{
    if (x.Length != y.Length || dy.Length != y.Length || dgamma.Length < x.C || dbeta.Length < x.C)
        throw new ArgumentException($"batchnorm+relu reduce: x {x}, y {y}, dy {dy}, {dgamma.Length} channel gradients");
    var kernel = Device.Kernel("{{cls}}.BatchNormReluReduce", BatchNormReluReduceKernel);
    int blocks = (x.Spatial + 1023) / 1024;
    long items = (long)x.N * x.C * blocks;
    // zeroed by kernels on the stream: a memset is not ordered with the kernels around it on the CPU accelerator
    Elementwise.Fill(Device, dgamma.SubView(0, x.C), 0f);
    Elementwise.Fill(Device, dbeta.SubView(0, x.C), 0f);
    int threads = Device.GridStrideThreads(items);
    kernel(threads, x.View, y.View, dy.View, mean, invStd, dgamma, dbeta, x.C, x.Spatial, blocks, items, threads);
}

/// <summary>
/// BN + ReLU backward, elementwise part: dx (=|+=) γ·invStd·(dy′ − (dβ + x̂·dγ) / M), with dy′ = dy·[y &gt; 0],
/// x̂ = (x − mean)·invStd, M = N·H·W; dβ and dγ come from BatchNormReluReduce.
/// </summary>
private static void BatchNormReluBackwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> dgamma, ArrayView<float> dbeta, ArrayView<float> dx, int channels, int spatial, float inverseCount, int accumulate, int threads)
{
    for (long i = index; i < dx.Length; i += threads)
    {
        int c = (int)(i / spatial % channels);
        float g = y[i] > 0f ? dy[i] : 0f;
        float xhat = (x[i] - mean[c]) * invStd[c];
        float v = gamma[c] * invStd[c] * (g - (dbeta[c] + xhat * dgamma[c]) * inverseCount);
        dx[i] = accumulate != 0 ? dx[i] + v : v;
    }
}

private void BatchNormReluBackward(Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> dgamma, ArrayView<float> dbeta, Tensor dx, bool accumulate)
{
    if (x.Length != y.Length || dy.Length != y.Length || dx.Length != x.Length)
        throw new ArgumentException($"batchnorm+relu backward: x {x}, y {y}, dy {dy}, dx {dx} must have one shape");
    var kernel = Device.Kernel("{{cls}}.BatchNormReluBackward", BatchNormReluBackwardKernel);
    int threads = Device.GridStrideThreads(dx.Length);
    kernel(threads, x.View, y.View, dy.View, mean, invStd, gamma, dgamma, dbeta, dx.View, x.C, x.Spatial, 1f / ((float)x.N * x.Spatial), accumulate ? 1 : 0, threads);
}

""");

    public static string SoftmaxCrossEntropy(string cls, int k) => Indented($$"""
/// <summary>
/// Softmax cross-entropy with K = {{k}} classes, per pixel: sums[0] += log Σ_k exp(z_k) − z_label, sums[1] += 1
/// over pixels whose label is not ignored (labels outside 0..K−1 count as ignored). One atomic add per thread.
/// </summary>
private static void SoftmaxCrossEntropyK{{k}}Kernel(Index1D index, ArrayView<float> logits, ArrayView<int> labels, ArrayView<float> sums, int spatial, int ignoreIndex, int threads)
{
    const int K = {{k}};
    float loss = 0f, valid = 0f;
    for (long p = index; p < labels.Length; p += threads)
    {
        int label = labels[p];
        if (label == ignoreIndex || label < 0 || label >= K)
            continue;
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
    var kernel = Device.Kernel("{{cls}}.SoftmaxCrossEntropyK{{k}}", SoftmaxCrossEntropyK{{k}}Kernel);
    var mean = Device.Kernel("{{cls}}.SoftmaxCrossEntropyK{{k}}Mean", SoftmaxCrossEntropyK{{k}}MeanKernel);
    Elementwise.Fill(Device, sums, 0f);
    int threads = Device.ReductionThreads(labels.Length);
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
        bool ignored = label == ignoreIndex || label < 0 || label >= K;
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
            float g = ignored ? 0f : scale * (XMath.Exp(logits[i] - max) / sum - (k == label ? 1f : 0f));
            dlogits[i] = accumulate != 0 ? dlogits[i] + g : g;
        }
    }
}

private void SoftmaxCrossEntropyBackwardK{{k}}(Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> sums, float weight, Tensor dlogits, bool accumulate)
{
    if (dlogits.Length != logits.Length)
        throw new ArgumentException($"softmax cross-entropy backward: dlogits {dlogits} must match logits {logits}");
    var kernel = Device.Kernel("{{cls}}.SoftmaxCrossEntropyK{{k}}Backward", SoftmaxCrossEntropyK{{k}}BackwardKernel);
    int threads = Device.GridStrideThreads(labels.Length);
    kernel(threads, logits.View, labels.View, sums, dlogits.View, logits.Spatial, ignoreIndex, weight, accumulate ? 1 : 0, threads);
}

""");
}
