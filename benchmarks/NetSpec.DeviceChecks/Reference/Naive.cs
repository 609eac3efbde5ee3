namespace NetSpec.DeviceChecks.Reference;

/// <summary>
/// Independent double-precision references: plain loops written from the definitions (PyTorch semantics),
/// sharing no code with the runtime. They give expected forwards and, by central differences, gradients.
/// </summary>
public static class Naive
{
    public static int At(int n, int c, int h, int w, int C, int H, int W) => (((n * C) + c) * H + h) * W + w;

    // x (N,C,H,W), w (K,C/g,R,S), b (K) or null → y (N,K,P,Q)
    public static double[] Conv2d(double[] x, double[] w, double[]? b, int n, int c, int h, int wd, int k, int r, int s,
        int sh, int sw, int ph, int pw, int dh, int dw, int groups, out int p, out int q)
    {
        p = ((h + (2 * ph) - (dh * (r - 1)) - 1) / sh) + 1;
        q = ((wd + (2 * pw) - (dw * (s - 1)) - 1) / sw) + 1;
        int cg = c / groups, kg = k / groups;
        var y = new double[n * k * p * q];
        for (int b0 = 0; b0 < n; b0++)
            for (int ko = 0; ko < k; ko++)
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < q; j++)
                    {
                        double sum = b?[ko] ?? 0.0;
                        int grp = ko / kg;
                        for (int ci = 0; ci < cg; ci++)
                            for (int ri = 0; ri < r; ri++)
                                for (int si = 0; si < s; si++)
                                {
                                    int hh = (i * sh) - ph + (ri * dh);
                                    int ww = (j * sw) - pw + (si * dw);
                                    if (hh < 0 || hh >= h || ww < 0 || ww >= wd)
                                        continue;
                                    sum += x[At(b0, (grp * cg) + ci, hh, ww, c, h, wd)] * w[(((ko * cg) + ci) * r + ri) * s + si];
                                }

                        y[At(b0, ko, i, j, k, p, q)] = sum;
                    }

        return y;
    }

    // training-mode batch norm with batch statistics (biased variance), optional ReLU
    public static double[] BatchNormTrain(double[] x, double[] gamma, double[] beta, int n, int c, int hw, double eps, bool relu,
        out double[] mean, out double[] variance)
    {
        mean = new double[c];
        variance = new double[c];
        var y = new double[x.Length];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < hw; i++)
                    sum += x[((b * c) + ch) * hw + i];
            double mu = sum / m;
            double sq = 0;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < hw; i++)
                    sq += Math.Pow(x[((b * c) + ch) * hw + i] - mu, 2);
            double v = sq / m;
            mean[ch] = mu;
            variance[ch] = v;
            for (int b = 0; b < n; b++)
                for (int i = 0; i < hw; i++)
                {
                    int idx = ((b * c) + ch) * hw + i;
                    double o = ((x[idx] - mu) / Math.Sqrt(v + eps) * gamma[ch]) + beta[ch];
                    y[idx] = relu ? Math.Max(o, 0) : o;
                }
        }

        return y;
    }

    public static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    // pools over (N·C) planes of H×W; PyTorch padding: max ignores padded cells, avg counts them (divisor k·k)
    public static double[] Pool(double[] x, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, bool max, out int p, out int q)
    {
        p = ((h + (2 * ph) - kh) / sh) + 1;
        q = ((w + (2 * pw) - kw) / sw) + 1;
        var y = new double[planes * p * q];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < p; i++)
                for (int j = 0; j < q; j++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    for (int r = 0; r < kh; r++)
                        for (int s = 0; s < kw; s++)
                        {
                            int hh = (i * sh) - ph + r, ww = (j * sw) - pw + s;
                            if (hh < 0 || hh >= h || ww < 0 || ww >= w)
                                continue;
                            double v = x[(pl * h + hh) * w + ww];
                            acc = max ? Math.Max(acc, v) : acc + v;
                        }

                    y[(pl * p + i) * q + j] = max ? acc : acc / (kh * kw);
                }

        return y;
    }

    public static double[] GlobalAvg(double[] x, int planes, int hw) =>
        Enumerable.Range(0, planes).Select(pl => x.Skip(pl * hw).Take(hw).Sum() / hw).ToArray();

    // y (N,K) = x (N,C) wᵀ + b
    public static double[] Linear(double[] x, double[] w, double[]? b, int n, int c, int k)
    {
        var y = new double[n * k];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < k; o++)
            {
                double sum = b?[o] ?? 0;
                for (int j = 0; j < c; j++)
                    sum += x[(i * c) + j] * w[(o * c) + j];
                y[(i * k) + o] = sum;
            }

        return y;
    }

    // PyTorch upsample_bilinear2d with an output size: y = B x, each output a weighted sum of four taps
    public static double[] Bilinear(double[] x, int planes, int h, int w, int oh, int ow, bool alignCorners)
    {
        var y = new double[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    foreach ((int index, double weight) in BilinearTaps(pl, i, j, h, w, oh, ow, alignCorners))
                        y[(pl * oh + i) * ow + j] += weight * x[index];

        return y;
    }

    // the transpose of Bilinear: dx = Bᵀ dy
    public static double[] BilinearBackward(double[] dy, int planes, int h, int w, int oh, int ow, bool alignCorners)
    {
        var dx = new double[planes * h * w];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    foreach ((int index, double weight) in BilinearTaps(pl, i, j, h, w, oh, ow, alignCorners))
                        dx[index] += weight * dy[(pl * oh + i) * ow + j];

        return dx;
    }

    // the four (input index, weight) taps of output (i, j) in plane pl
    private static (int Index, double Weight)[] BilinearTaps(int pl, int i, int j, int h, int w, int oh, int ow, bool alignCorners)
    {
        double hs = Source(i, h, oh, alignCorners), ws = Source(j, w, ow, alignCorners);
        int h0 = (int)Math.Floor(hs), w0 = (int)Math.Floor(ws);
        int h1 = Math.Min(h0 + 1, h - 1), w1 = Math.Min(w0 + 1, w - 1);
        double lh = hs - h0, lw = ws - w0;
        return
        [
            ((pl * h + h0) * w + w0, (1 - lh) * (1 - lw)),
            ((pl * h + h0) * w + w1, (1 - lh) * lw),
            ((pl * h + h1) * w + w0, lh * (1 - lw)),
            ((pl * h + h1) * w + w1, lh * lw),
        ];
    }

    // the gradient of Pool: avg spreads dy/(k·k) over the window, max routes dy to the window's (unique) maximum
    public static double[] PoolBackward(double[] x, double[] dy, int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, bool max)
    {
        int p = ((h + (2 * ph) - kh) / sh) + 1, q = ((w + (2 * pw) - kw) / sw) + 1;
        var dx = new double[planes * h * w];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < p; i++)
                for (int j = 0; j < q; j++)
                {
                    double g = dy[(pl * p + i) * q + j];
                    int best = -1;
                    for (int r = 0; r < kh; r++)
                        for (int s = 0; s < kw; s++)
                        {
                            int hh = (i * sh) - ph + r, ww = (j * sw) - pw + s;
                            if (hh < 0 || hh >= h || ww < 0 || ww >= w)
                                continue;
                            int at = (pl * h + hh) * w + ww;
                            if (!max)
                                dx[at] += g / (kh * kw);
                            else if (best < 0 || x[at] > x[best])
                                best = at;
                        }

                    if (max)
                        dx[best] += g;
                }

        return dx;
    }

    private static double Source(int dst, int inSize, int outSize, bool alignCorners)
    {
        if (alignCorners)
            return outSize > 1 ? dst * (inSize - 1.0) / (outSize - 1.0) : 0;
        return Math.Max(((dst + 0.5) * inSize / outSize) - 0.5, 0);
    }

    // PyTorch 'nearest': src = floor(dst · (float)(in/out)), clamped; the scale is a float in PyTorch too
    public static double[] Nearest(double[] x, int planes, int h, int w, int oh, int ow)
    {
        var y = new double[planes * oh * ow];
        for (int pl = 0; pl < planes; pl++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    int hs = Math.Min((int)(i * ((float)h / oh)), h - 1), ws = Math.Min((int)(j * ((float)w / ow)), w - 1);
                    y[(pl * oh + i) * ow + j] = x[(pl * h + hs) * w + ws];
                }

        return y;
    }

    // mean over non-ignored pixels of −log softmax
    public static double SoftmaxCrossEntropy(double[] logits, int[] labels, int n, int k, int hw, int ignore)
    {
        double sum = 0;
        int count = 0;
        for (int b = 0; b < n; b++)
            for (int i = 0; i < hw; i++)
            {
                int label = labels[(b * hw) + i];
                if (label == ignore)
                    continue;
                double[] z = Enumerable.Range(0, k).Select(c => logits[((b * k) + c) * hw + i]).ToArray();
                double max = z.Max();
                double lse = Math.Log(z.Sum(v => Math.Exp(v - max))) + max;
                sum += lse - z[label];
                count++;
            }

        return count == 0 ? 0 : sum / count;
    }

    // mean over N·K of BCE with logits against t(n,k) = [k among image n's non-ignored labels]
    public static double BcePresence(double[] logits, int[] labels, int n, int k, int hw, int ignore)
    {
        double sum = 0;
        for (int b = 0; b < n; b++)
            for (int c = 0; c < k; c++)
            {
                bool present = false;
                for (int i = 0; i < hw; i++)
                    present |= labels[(b * hw) + i] == c;
                double x = logits[(b * k) + c];
                double p = 1 / (1 + Math.Exp(-x));
                sum += -(present ? Math.Log(p) : Math.Log(1 - p));
            }

        return sum / (n * k);
    }
}
