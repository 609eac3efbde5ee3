using ILGPU;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.DeviceChecks.Ops;

/// <summary>Every op's forward against a naive double reference and its backward against central differences; once per backend.</summary>
public sealed class OpChecks(DeviceFixture fixture) : OpCheckBase(fixture)
{
    // (N,C,H,W,K,R,S,sh,sw,ph,pw,dh,dw,groups,bias)
    private static readonly (int N, int C, int H, int W, int K, int R, int S, int Sh, int Sw, int Ph, int Pw, int Dh, int Dw, int G, bool Bias)[] Convs =
    [
        (2, 3, 7, 6, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, true),    // strided 3×3 with bias
        (1, 2, 3, 45, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, false),  // strided 3×3 over rows wide enough for 16-lane unfolding
        (2, 4, 7, 7, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2, false),   // dilated, grouped
        (2, 5, 5, 3, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, true),    // pointwise (no im2col)
        (1, 4, 6, 5, 4, 1, 1, 2, 2, 0, 0, 1, 1, 4, false),   // strided 1×1, depthwise-like groups
        (2, 2, 5, 8, 3, 2, 3, 1, 2, 0, 1, 1, 3, 1, true),    // rectangular kernel, mixed stride and dilation
        (1, 3, 9, 8, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, false),   // one job: GEMMs on all cores; padded stride-1 rows
        (3, 3, 6, 7, 4, 3, 3, 1, 1, 2, 2, 2, 2, 1, true),    // odd batch over the host workers, dilated and padded
        (1, 2, 3, 3, 2, 3, 3, 1, 1, 4, 4, 4, 4, 1, false),   // dilation past the input: whole kernel rows and columns in the padding
    ];

    [DeviceCheck]
    public void Conv2dForwardAndBackward()
    {
        for (int i = 0; i < Convs.Length; i++)
            GradientCheck.Run(ConvCase(D, Convs[i], $"conv#{i}", 10 + i));
    }

    [DeviceCheck]
    public void BatchNormTrainForwardAndBackward()
    {
        foreach (bool relu in new[] { false, true })
        {
            const int n = 2, c = 3, h = 4, w = 5;
            double[] x = Rand(n * c * h * w, 40, -2, 3);
            double[] gamma = Rand(c, 41, 0.5, 1.5), beta = Rand(c, 42, -0.5, 0.5);
            // keep every pre-ReLU value away from 0 so that the finite difference never crosses the kink
            for (int seed = 43; relu && Naive.BatchNormTrain(x, gamma, beta, n, c, h * w, 1e-5, false, out _, out _).Min(Math.Abs) < 0.02; seed++)
                beta = Rand(c, seed, -0.5, 0.5);
            GradientCheck.Run(new OpCase($"batchnorm relu={relu}", [x, gamma, beta], [GradKind.Input, GradKind.Param, GradKind.Param],
                xs => Naive.BatchNormTrain(xs[0], xs[1], xs[2], n, c, h * w, 1e-5, relu, out _, out _),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor xt = s.Tensor(xs[0], n, c, h, w);
                    ArrayView<float> g = s.Floats(xs[1]), b = s.Floats(xs[2]);
                    ArrayView<float> mean = s.Filled(c, 0), inv = s.Filled(c, 0), rm = s.Filled(c, 0), rv = s.Filled(c, 1), counter = s.Filled(1, 0);
                    Tensor y = s.Tensor(n, c, h, w, float.NaN);
                    BatchNorm.Statistics(D, xt, mean, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
                    BatchNorm.Apply(D, xt, mean, inv, g, b, y, relu);
                    Tensor dx = s.Tensor(n, c, h, w, pre);
                    ArrayView<float> dg = s.Filled(c, pre), db = s.Filled(c, pre);
                    // without a ReLU the output is not saved in a network (only the ReLU mask reads it): none is passed
                    BatchNorm.Backward(D, xt, relu ? y : default, s.Tensor(dy, n, c, h, w), mean, inv, g, dx, dg, db, relu, acc);
                    return (s.Read(y), [s.Read(dx), s.Read(dg), s.Read(db)]);
                },
                n * h * w));
        }
    }

    [DeviceCheck]
    public void BatchNormResidualReluForwardAndBackward()
    {
        // y = ReLU(BN(x) + r), a bottleneck's end in one step; gradients into x, r, γ and β
        const int n = 2, c = 3, h = 4, w = 5, len = n * c * h * w;
        double[] x = Rand(len, 70, -2, 3), gamma = Rand(c, 71, 0.5, 1.5), beta = Rand(c, 72, -0.5, 0.5);
        double[] Reference(double[][] xs)
        {
            double[] bn = Naive.BatchNormTrain(xs[0], xs[2], xs[3], n, c, h * w, 1e-5, false, out _, out _);
            return bn.Select((v, i) => Math.Max(v + xs[1][i], 0)).ToArray();
        }

        // r keeps every pre-ReLU value at least 0.05 from the kink, so that the finite difference never crosses it
        double[] bnOut = Naive.BatchNormTrain(x, gamma, beta, n, c, h * w, 1e-5, false, out _, out _);
        double[] r = AwayFromZero(len, 73).Select((v, i) => v - bnOut[i] + (0.2 * Math.Sign(v))).ToArray();
        GradientCheck.Run(new OpCase("batchnorm + add + relu", [x, r, gamma, beta], [GradKind.Input, GradKind.Input, GradKind.Param, GradKind.Param],
            Reference,
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(D);
                Tensor xt = s.Tensor(xs[0], n, c, h, w), rt = s.Tensor(xs[1], n, c, h, w);
                ArrayView<float> g = s.Floats(xs[2]), b = s.Floats(xs[3]);
                ArrayView<float> mean = s.Filled(c, 0), inv = s.Filled(c, 0), rm = s.Filled(c, 0), rv = s.Filled(c, 1), counter = s.Filled(1, 0);
                Tensor y = s.Tensor(n, c, h, w, float.NaN);
                BatchNorm.Forward(D, xt, rt, mean, inv, rm, rv, counter, g, b, y, 0.1f, 1e-5f, training: true, relu: true);
                Tensor dx = s.Tensor(n, c, h, w, pre), dr = s.Tensor(n, c, h, w, pre);
                ArrayView<float> dg = s.Filled(c, pre), db = s.Filled(c, pre);
                BatchNorm.Backward(D, xt, y, s.Tensor(dy, n, c, h, w), mean, inv, g, dx, dg, db, dr, relu: true, accumulate: acc, accumulateResidual: acc);
                return (s.Read(y), [s.Read(dx), s.Read(dr), s.Read(dg), s.Read(db)]);
            },
            n * h * w));
    }

    [DeviceCheck]
    public void BatchNormEvalForwardWithResidualUsesTheRunningStatistics()
    {
        const int n = 2, c = 2, h = 3, w = 3, len = n * c * h * w;
        double[] x = Rand(len, 80, -1, 2), r = Rand(len, 81, -1, 1);
        float[] rm0 = [0.2f, -0.1f], rv0 = [1.5f, 0.7f], g0 = [1.5f, 0.5f], b0 = [0.25f, -1f];
        using var s = new BuffersScope(D);
        Tensor xt = s.Tensor(x.Select(v => (float)v).ToArray(), n, c, h, w), rt = s.Tensor(r.Select(v => (float)v).ToArray(), n, c, h, w);
        ArrayView<float> rm = s.Floats(rm0), rv = s.Floats(rv0), counter = s.Filled(1, 3);
        Tensor y = s.Tensor(n, c, h, w, float.NaN);
        BatchNorm.Forward(D, xt, rt, s.Filled(c, 0), s.Filled(c, 0), rm, rv, counter, s.Floats(g0), s.Floats(b0), y, 0.1f, 1e-5f, training: false, relu: true);
        double[] expected = x.Select((v, i) =>
        {
            int ch = i / (h * w) % c;
            return Math.Max((((float)v - rm0[ch]) / Math.Sqrt(rv0[ch] + 1e-5) * g0[ch]) + b0[ch] + (float)r[i], 0);
        }).ToArray();
        GradientCheck.Compare("eval batch norm + add + relu", s.Read(y), expected, 4, 0);
        Expect.SameValues(rm0, s.Read(rm));
        Expect.Equal(3f, s.Read(counter)[0]);
    }

    [DeviceCheck]
    public void BatchNormBackwardWithoutAnInputGradientStillGivesTheParameterGradients()
    {
        // the generator passes no dx when a BN's input needs no gradient; dγ and dβ must not change
        const int n = 2, c = 3, h = 5, w = 3;
        using var s = new BuffersScope(D);
        static float[] F(double[] v) => v.Select(e => (float)e).ToArray();
        Tensor x = s.Tensor(F(Rand(n * c * h * w, 60, -2, 2)), n, c, h, w), dy = s.Tensor(F(Rand(n * c * h * w, 61)), n, c, h, w);
        ArrayView<float> g = s.Floats(F(Rand(c, 62, 0.5, 1.5))), b = s.Floats(F(Rand(c, 63)));
        ArrayView<float> mean = s.Filled(c, 0), inv = s.Filled(c, 0), rm = s.Filled(c, 0), rv = s.Filled(c, 1), counter = s.Filled(1, 0);
        Tensor y = s.Tensor(n, c, h, w, 0);
        BatchNorm.Statistics(D, x, mean, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
        BatchNorm.Apply(D, x, mean, inv, g, b, y, relu: true);
        ArrayView<float> dg1 = s.Filled(c, 0), db1 = s.Filled(c, 0), dg2 = s.Filled(c, float.NaN), db2 = s.Filled(c, float.NaN);
        BatchNorm.Backward(D, x, y, dy, mean, inv, g, s.Tensor(n, c, h, w, 0), dg1, db1, relu: true, accumulate: false);
        BatchNorm.Backward(D, x, y, dy, mean, inv, g, default, dg2, db2, relu: true, accumulate: false);
        Expect.SameValues(s.Read(dg1), s.Read(dg2));
        Expect.SameValues(s.Read(db1), s.Read(db2));
        Expect.True(s.Read(dg1).Any(v => v != 0f), "every dgamma is 0: the case checks nothing");
    }

    [DeviceCheck]
    public void BatchNormRunningStatisticsAndEval()
    {
        const int n = 3, c = 2, h = 3, w = 4, m = n * h * w;
        double[] x = Rand(n * c * h * w, 50, -1, 2);
        double[] rm0 = [0.2, -0.1], rv0 = [1.5, 0.7];
        Naive.BatchNormTrain(x, [1, 1], [0, 0], n, c, h * w, 1e-5, false, out double[] mean, out double[] variance);
        using var s = new BuffersScope(D);
        Tensor xt = s.Tensor(x.Select(v => (float)v).ToArray(), n, c, h, w);
        ArrayView<float> mv = s.Filled(c, 0), inv = s.Filled(c, 0), counter = s.Filled(1, 4);
        ArrayView<float> rm = s.Floats(rm0.Select(v => (float)v).ToArray()), rv = s.Floats(rv0.Select(v => (float)v).ToArray());
        BatchNorm.Statistics(D, xt, mv, inv, rm, rv, counter, 0.1f, 1e-5f, training: true);
        double[] rmExpected = rm0.Select((r, i) => (0.9 * r) + (0.1 * mean[i])).ToArray();
        double[] rvExpected = rv0.Select((r, i) => (0.9 * r) + (0.1 * variance[i] * m / (m - 1))).ToArray(); // unbiased into running_var
        GradientCheck.Compare("running mean", s.Read(rm), rmExpected, m, 0);
        GradientCheck.Compare("running var", s.Read(rv), rvExpected, m, 0);
        GradientCheck.Compare("batch invStd", s.Read(inv), variance.Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray(), m, 0);
        Expect.Equal(5f, s.Read(counter)[0]);

        // eval: statistics come from the running buffers, which stay unchanged
        float[] rmNow = s.Read(rm), rvNow = s.Read(rv);
        BatchNorm.Statistics(D, xt, mv, inv, rm, rv, counter, 0.1f, 1e-5f, training: false);
        Tensor y = s.Tensor(n, c, h, w, float.NaN);
        ArrayView<float> gamma = s.Floats([1.5f, 0.5f]), beta = s.Floats([0.25f, -1f]);
        BatchNorm.Apply(D, xt, mv, inv, gamma, beta, y, relu: false);
        double[] expected = x.Select((v, i) =>
        {
            int ch = i / (h * w) % c;
            return (((float)v - rmNow[ch]) / Math.Sqrt(rvNow[ch] + 1e-5) * (ch == 0 ? 1.5 : 0.5)) + (ch == 0 ? 0.25 : -1);
        }).ToArray();
        GradientCheck.Compare("eval batch norm", s.Read(y), expected, 4, 0);
        Expect.SameValues(rmNow, s.Read(rm));
        Expect.Equal(5f, s.Read(counter)[0]);
    }

    [DeviceCheck]
    public void ReluAndSigmoid()
    {
        const int n = 2, c = 3, h = 5, w = 3;
        foreach (bool relu in new[] { true, false })
        {
            GradientCheck.Run(new OpCase(relu ? "relu" : "sigmoid", [AwayFromZero(n * c * h * w, 60)], [GradKind.Input],
                xs => Naive.Map(xs[0], v => relu ? Math.Max(v, 0) : 1 / (1 + Math.Exp(-v))),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, h, w, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                    if (relu)
                    {
                        Activation.Relu(D, x, y);
                        Activation.ReluBackward(D, y, s.Tensor(dy, n, c, h, w), dx, acc);
                    }
                    else
                    {
                        Activation.Sigmoid(D, x, y);
                        Activation.SigmoidBackward(D, y, s.Tensor(dy, n, c, h, w), dx, acc);
                    }

                    return (s.Read(y), [s.Read(dx)]);
                },
                4));
        }
    }

    /// <summary>Reduction length 2: one rounding for slope·x (or slope·dy), one more when the gradient is added.</summary>
    [DeviceCheck]
    public void LeakyRelu()
    {
        const int n = 2, c = 3, h = 5, w = 3;
        foreach (float slope in new[] { 0.01f, 0.2f, 0f })
        {
            GradientCheck.Run(new OpCase($"leaky_relu slope {slope}", [AwayFromZero(n * c * h * w, 61)], [GradKind.Input],
                xs => Naive.Map(xs[0], v => v > 0 ? v : slope * v),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, h, w, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                    Activation.LeakyRelu(D, x, y, slope);
                    Activation.LeakyReluBackward(D, y, s.Tensor(dy, n, c, h, w), dx, slope, acc);
                    return (s.Read(y), [s.Read(dx)]);
                },
                2));
        }
    }

    [DeviceCheck]
    public void MaxPool()
    {
        // narrow rows (scalar edges only) and rows 41 wide, whose insides go through 16-lane vectors (stride 1 and 2)
        foreach (var (n, c, h, w, g) in new[]
        {
            (2, 2, 7, 8, new PoolGeometry(3, 3, 2, 2, 1, 1)), (2, 2, 7, 8, new PoolGeometry(2, 3, 2, 1, 0, 1)),
            (1, 2, 5, 41, new PoolGeometry(3, 3, 2, 2, 1, 1)), (1, 2, 5, 41, new PoolGeometry(3, 3, 1, 1, 1, 1)),
        })
        {
            int p = g.OutH(h), q = g.OutW(w);
            GradientCheck.Run(new OpCase($"maxpool {g}", [Distinct(n * c * h * w, 70)], [GradKind.Input],
                xs => Naive.Pool(xs[0], n * c, h, w, g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadH, g.PadW, true, out _, out _),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, p, q, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                    ArrayView<int> argmax = s.Ints(new int[n * c * p * q]);
                    Pooling.MaxForward(D, x, y, argmax, g);
                    Pooling.MaxBackward(D, s.Tensor(dy, n, c, p, q), argmax, dx, g, acc);
                    return (s.Read(y), [s.Read(dx)]);
                },
                g.KernelH * g.KernelW));
        }
    }

    [DeviceCheck]
    public void AvgPool()
    {
        const int n = 2, c = 3, h = 7, w = 6;
        foreach (var g in new[] { new PoolGeometry(3, 3, 2, 2, 1, 1), new PoolGeometry(2, 2, 2, 2, 0, 0) })
        {
            int p = g.OutH(h), q = g.OutW(w);
            GradientCheck.Run(new OpCase($"avgpool {g}", [Rand(n * c * h * w, 80)], [GradKind.Input],
                xs => Naive.Pool(xs[0], n * c, h, w, g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadH, g.PadW, false, out _, out _),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, p, q, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                    Pooling.AvgForward(D, x, y, g);
                    Pooling.AvgBackward(D, s.Tensor(dy, n, c, p, q), dx, g, acc);
                    return (s.Read(y), [s.Read(dx)]);
                },
                g.KernelH * g.KernelW));
        }
    }

    [DeviceCheck]
    public void GlobalAvgPool()
    {
        const int n = 2, c = 3, h = 5, w = 7;
        GradientCheck.Run(new OpCase("global avg pool", [Rand(n * c * h * w, 90)], [GradKind.Input],
            xs => Naive.GlobalAvg(xs[0], n * c, h * w),
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(D);
                Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, 1, 1, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                Pooling.GlobalAvgForward(D, x, y);
                Pooling.GlobalAvgBackward(D, s.Tensor(dy, n, c, 1, 1), dx, acc);
                return (s.Read(y), [s.Read(dx)]);
            },
            h * w));
    }

    [DeviceCheck]
    public void LinearLayer()
    {
        const int n = 3, c = 7, k = 5;
        foreach (bool bias in new[] { true, false })
        {
            double[][] inputs = bias ? [Rand(n * c, 100), Rand(k * c, 101), Rand(k, 102)] : [Rand(n * c, 100), Rand(k * c, 101)];
            GradKind[] kinds = bias ? [GradKind.Input, GradKind.Param, GradKind.Param] : [GradKind.Input, GradKind.Param];
            GradientCheck.Run(new OpCase($"linear bias={bias}", inputs, kinds,
                xs => Naive.Linear(xs[0], xs[1], bias ? xs[2] : null, n, c, k),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor x = s.Tensor(xs[0], n, c, 1, 1), y = s.Tensor(n, k, 1, 1, float.NaN), dx = s.Tensor(n, c, 1, 1, pre);
                    ArrayView<float> w = s.Floats(xs[1]), b = bias ? s.Floats(xs[2]) : default;
                    ArrayView<float> dw = s.Filled(k * c, pre), db = bias ? s.Filled(k, pre) : default;
                    Linear.Forward(D, x, w, b, y);
                    Tensor dyt = s.Tensor(dy, n, k, 1, 1);
                    Linear.BackwardInput(D, dyt, w, dx, acc);
                    Linear.BackwardParams(D, x, dyt, dw, db);
                    return (s.Read(y), [s.Read(dx), s.Read(dw), bias ? s.Read(db) : null]);
                },
                Math.Max(c, Math.Max(n, k))));
        }
    }

    [DeviceCheck]
    public void BilinearResize()
    {
        const int n = 2, c = 2, h = 4, w = 5;
        foreach (bool align in new[] { true, false })
        {
            foreach ((int oh, int ow) in new[] { (7, 9), (3, 2), (4, 5), (1, 1) })
            {
                GradientCheck.Run(new OpCase($"bilinear align={align} → {oh}×{ow}", [Rand(n * c * h * w, 110)], [GradKind.Input],
                    xs => Naive.Bilinear(xs[0], n * c, h, w, oh, ow, align),
                    (xs, dy, acc, pre) =>
                    {
                        using var s = new BuffersScope(D);
                        Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, oh, ow, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                        Resize.BilinearForward(D, x, y, align);
                        Resize.BilinearBackward(D, s.Tensor(dy, n, c, oh, ow), dx, align, acc);
                        return (s.Read(y), [s.Read(dx)]);
                    },
                    4 * (((oh + h - 1) / h) + 1) * (((ow + w - 1) / w) + 1)));
            }
        }
    }

    /// <summary>
    /// Shapes large enough for host code's parallel path (the finite-difference tests above are small): forward
    /// against the reference, backward against the reference's transpose applied to dy (these ops are linear;
    /// max pool once its argmax is fixed; mul in each operand).
    /// </summary>
    [DeviceCheck]
    public void LargeResizePoolingAndBroadcast()
    {
        const int n = 2, c = 16, h = 48, w = 45, len = n * c * h * w;
        double[] x = Rand(len, 200).Select(v => (double)(float)v).ToArray();
        foreach (bool align in new[] { true, false })
        {
            const int oh = 97, ow = 91;
            RunLarge($"large bilinear align={align}", x, Naive.Bilinear(x, n * c, h, w, oh, ow, align), dy => Naive.BilinearBackward(dy, n * c, h, w, oh, ow, align),
                4 * (((oh + h - 1) / h) + 1) * (((ow + w - 1) / w) + 1), (s, xv, dyt) =>
                {
                    var xt = new Tensor(xv, n, c, h, w);
                    Tensor y = s.Tensor(n, c, oh, ow, float.NaN), dx = s.Tensor(n, c, h, w, float.NaN);
                    Resize.BilinearForward(D, xt, y, align);
                    Resize.BilinearBackward(D, s.Tensor(dyt, n, c, oh, ow), dx, align, accumulate: false);
                    return (s.Read(y), s.Read(dx));
                });
        }

        foreach ((PoolGeometry g, bool max) in new[] { (new PoolGeometry(3, 3, 2, 2, 1, 1), false), (new PoolGeometry(2, 2, 1, 1, 0, 0), true) })
        {
            double[] input = max ? Distinct(len, 201).Select(v => (double)(float)v).ToArray() : x;
            int p = g.OutH(h), q = g.OutW(w);
            RunLarge($"large {(max ? "max" : "avg")} pool {g}", input,
                Naive.Pool(input, n * c, h, w, g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadH, g.PadW, max, out _, out _),
                dy => Naive.PoolBackward(input, dy, n * c, h, w, g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadH, g.PadW, max),
                g.KernelH * g.KernelW, (s, xv, dyt) =>
                {
                    var xt = new Tensor(xv, n, c, h, w);
                    Tensor y = s.Tensor(n, c, p, q, float.NaN), dx = s.Tensor(n, c, h, w, float.NaN), dy = s.Tensor(dyt, n, c, p, q);
                    if (max)
                    {
                        ArrayView<int> argmax = s.Ints(new int[n * c * p * q]);
                        Pooling.MaxForward(D, xt, y, argmax, g);
                        Pooling.MaxBackward(D, dy, argmax, dx, g, accumulate: false);
                    }
                    else
                    {
                        Pooling.AvgForward(D, xt, y, g);
                        Pooling.AvgBackward(D, dy, dx, g, accumulate: false);
                    }

                    return (s.Read(y), s.Read(dx));
                });
        }

        // a (N,C,H,W) · b (1,C,1,W): da = dy·b, db = Σ over N and H of dy·a
        double[] b = Rand(c * w, 202).Select(v => (double)(float)v).ToArray();
        int B(int i) => (i / (h * w) % c * w) + (i % w);
        double[] prod = x.Select((v, i) => v * b[B(i)]).ToArray();
        for (int operand = 0; operand < 2; operand++)
        {
            int which = operand;
            RunLarge($"large broadcast mul, d{(which == 0 ? "a" : "b")}", which == 0 ? x : b, prod,
                dy =>
                {
                    if (which == 0)
                        return dy.Select((g, i) => g * b[B(i)]).ToArray();
                    var db = new double[b.Length];
                    for (int i = 0; i < len; i++)
                        db[B(i)] += dy[i] * x[i];
                    return db;
                },
                which == 0 ? 1 : n * h, (s, _, dyt) =>
                {
                    Tensor a = s.Tensor(x.Select(v => (float)v).ToArray(), n, c, h, w), bt = s.Tensor(b.Select(v => (float)v).ToArray(), 1, c, 1, w);
                    Tensor y = s.Tensor(n, c, h, w, float.NaN), da = s.Tensor(n, c, h, w, float.NaN), db = s.Tensor(1, c, 1, w, float.NaN);
                    Elementwise.Mul(D, a, bt, y);
                    Elementwise.MulBackward(D, a, bt, s.Tensor(dyt, n, c, h, w), da, db, false, false);
                    return (s.Read(y), s.Read(which == 0 ? da : db));
                });
        }
    }

    // run(scope, x on the device, dy) → (y, dx), checked against yRef and dxRef(dy)
    private void RunLarge(string name, double[] x, double[] yRef, Func<double[], double[]> dxRef, int reduction,
        Func<BuffersScope, ArrayView<float>, float[], (float[] Y, float[] Dx)> run)
    {
        float[] dy = Rand(yRef.Length, 203).Select(v => (float)v).ToArray();
        using var s = new BuffersScope(D);
        (float[] y, float[] dx) = run(s, s.Floats(x.Select(v => (float)v).ToArray()), dy);
        GradientCheck.Compare($"{name} forward", y, yRef, reduction, 0);
        GradientCheck.Compare($"{name} backward", dx, dxRef(dy.Select(v => (double)v).ToArray()), reduction, 0);
    }

    [DeviceCheck]
    public void NearestResize()
    {
        const int n = 1, c = 3, h = 4, w = 5;
        foreach ((int oh, int ow) in new[] { (7, 9), (3, 2), (8, 10) })
        {
            GradientCheck.Run(new OpCase($"nearest → {oh}×{ow}", [Rand(n * c * h * w, 120)], [GradKind.Input],
                xs => Naive.Nearest(xs[0], n * c, h, w, oh, ow),
                (xs, dy, acc, pre) =>
                {
                    using var s = new BuffersScope(D);
                    Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, oh, ow, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                    Resize.NearestForward(D, x, y);
                    Resize.NearestBackward(D, s.Tensor(dy, n, c, oh, ow), dx, acc);
                    return (s.Read(y), [s.Read(dx)]);
                },
                ((oh + h - 1) / h) * ((ow + w - 1) / w)));
        }
    }

    [DeviceCheck]
    public void AttentionGateCombine()
    {
        // y = attn ⊙ res + attn, odd sizes so vector tails are exercised
        const int n = 2, c = 3, h = 5, w = 7, len = n * c * h * w;
        GradientCheck.Run(new OpCase("sa gate", [Rand(len, 140), Rand(len, 141)], [GradKind.Input, GradKind.Input],
            xs => xs[0].Select((a, i) => (a * xs[1][i]) + a).ToArray(),
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(D);
                Tensor attn = s.Tensor(xs[0], n, c, h, w), res = s.Tensor(xs[1], n, c, h, w), y = s.Tensor(n, c, h, w, float.NaN);
                AttentionGate.Forward(D, attn, res, y);
                Tensor dAttn = s.Tensor(n, c, h, w, pre), dRes = s.Tensor(n, c, h, w, pre);
                AttentionGate.Backward(D, attn, res, s.Tensor(dy, n, c, h, w), dAttn, dRes, acc, acc);
                return (s.Read(y), [s.Read(dAttn), s.Read(dRes)]);
            },
            2));

        // one gradient absent: the other is still written, nothing else touched
        using var scope = new BuffersScope(D);
        float[] a = Rand(len, 142).Select(v => (float)v).ToArray(), g = Rand(len, 143).Select(v => (float)v).ToArray();
        Tensor attnT = scope.Tensor(a, n, c, h, w), resT = scope.Tensor(g, n, c, h, w);
        Tensor dResOnly = scope.Tensor(n, c, h, w, float.NaN);
        AttentionGate.Backward(D, attnT, resT, scope.Tensor(g, n, c, h, w), default, dResOnly, false, false);
        float[] got = scope.Read(dResOnly);
        for (int i = 0; i < len; i++)
            Expect.Equal(g[i] * a[i], got[i]); // one rounding, exact on every backend
    }

    [DeviceCheck]
    public void ConcatChannels()
    {
        const int n = 2, h = 3, w = 4;
        int[] cs = [2, 1, 3];
        int total = cs.Sum();
        GradientCheck.Run(new OpCase("concat", cs.Select((c, i) => Rand(n * c * h * w, 130 + i)).ToArray(), [GradKind.Input, GradKind.Input, GradKind.Input],
            xs =>
            {
                var y = new double[n * total * h * w];
                for (int b = 0, off = 0; b < n; b++, off = 0)
                    for (int i = 0; i < cs.Length; off += cs[i], i++)
                        Array.Copy(xs[i], b * cs[i] * h * w, y, ((b * total) + off) * h * w, cs[i] * h * w);
                return y;
            },
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(D);
                Tensor[] parts = cs.Select((c, i) => s.Tensor(xs[i], n, c, h, w)).ToArray();
                Tensor y = s.Tensor(n, total, h, w, float.NaN);
                Concat.Forward(D, parts, y);
                Tensor[] grads = cs.Select(c => s.Tensor(n, c, h, w, pre)).ToArray();
                Concat.Backward(D, s.Tensor(dy, n, total, h, w), grads, [acc, acc, acc]);
                return (s.Read(y), grads.Select(g => (float[]?)s.Read(g)).ToArray());
            },
            1));
    }

    [DeviceCheck]
    public void AddAndMulWithBroadcasting()
    {
        const int n = 2, c = 3, h = 4, w = 5;
        foreach ((int bn, int bc, int bh, int bw) in new[] { (n, c, 1, 1), (1, c, h, w), (n, c, h, w), (1, 1, h, 1), (1, c, 1, w), (n, 1, h, w), (1, 1, 1, 1) })
        {
            foreach (bool mul in new[] { false, true })
            {
                int reduction = (n / bn) * (c / bc) * (h / bh) * (w / bw);
                GradientCheck.Run(new OpCase($"{(mul ? "mul" : "add")} b=({bn},{bc},{bh},{bw})", [Rand(n * c * h * w, 140), Rand(bn * bc * bh * bw, 141)], [GradKind.Input, GradKind.Input],
                    xs =>
                    {
                        var y = new double[n * c * h * w];
                        for (int i0 = 0; i0 < n; i0++)
                            for (int c0 = 0; c0 < c; c0++)
                                for (int h0 = 0; h0 < h; h0++)
                                    for (int w0 = 0; w0 < w; w0++)
                                    {
                                        double a = xs[0][Naive.At(i0, c0, h0, w0, c, h, w)];
                                        double b = xs[1][Naive.At(bn == 1 ? 0 : i0, bc == 1 ? 0 : c0, bh == 1 ? 0 : h0, bw == 1 ? 0 : w0, bc, bh, bw)];
                                        y[Naive.At(i0, c0, h0, w0, c, h, w)] = mul ? a * b : a + b;
                                    }

                        return y;
                    },
                    (xs, dy, acc, pre) =>
                    {
                        using var s = new BuffersScope(D);
                        Tensor a = s.Tensor(xs[0], n, c, h, w), b = s.Tensor(xs[1], bn, bc, bh, bw), y = s.Tensor(n, c, h, w, float.NaN);
                        Tensor da = s.Tensor(n, c, h, w, pre), db = s.Tensor(bn, bc, bh, bw, pre), dyt = s.Tensor(dy, n, c, h, w);
                        if (mul)
                        {
                            Elementwise.Mul(D, a, b, y);
                            Elementwise.MulBackward(D, a, b, dyt, da, db, acc, acc);
                        }
                        else
                        {
                            Elementwise.Add(D, a, b, y);
                            Elementwise.AddBackward(D, dyt, da, db, acc, acc);
                        }

                        return (s.Read(y), [s.Read(da), s.Read(db)]);
                    },
                    reduction));
            }
        }
    }

    [DeviceCheck]
    public void CopyAndScale()
    {
        using var s = new BuffersScope(D);
        float[] x = Rand(30, 150).Select(v => (float)v).ToArray();
        Tensor xt = s.Tensor(x, 1, 2, 3, 5), y = s.Tensor(1, 2, 3, 5, 2f);
        Elementwise.Copy(D, xt, y, accumulate: true);
        Expect.SameValues(x.Select(v => v + 2f), s.Read(y));
        Elementwise.Copy(D, xt, y, accumulate: false);
        Expect.SameValues(x, s.Read(y));
        Elementwise.Scale(D, y.View, -0.5f);
        Expect.SameValues(x.Select(v => v * -0.5f), s.Read(y));
    }

    [DeviceCheck]
    public void DropoutMaskIsSeededAndScaled()
    {
        const int n = 2, c = 3, h = 8, w = 9, len = n * c * h * w;
        const float p = 0.3f;
        const ulong seed = 12345;
        GradientCheck.Run(new OpCase("dropout", [Rand(len, 160)], [GradKind.Input],
            xs => xs[0].Select((v, i) => Dropout.Uniform(seed, i) >= p ? v / (1 - (double)p) : 0).ToArray(),
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(D);
                Tensor x = s.Tensor(xs[0], n, c, h, w), y = s.Tensor(n, c, h, w, float.NaN), dx = s.Tensor(n, c, h, w, pre);
                ArrayView<float> mask = s.Filled(len, float.NaN);
                Dropout.Forward(D, x, y, mask, p, seed);
                Dropout.Backward(D, s.Tensor(dy, n, c, h, w), mask, dx, acc);
                return (s.Read(y), [s.Read(dx)]);
            },
            2));

        using var scope = new BuffersScope(D);
        Tensor ones = scope.Tensor(1, 1, 1, 100_000, 1f), out1 = scope.Tensor(1, 1, 1, 100_000, 0f);
        ArrayView<float> m1 = scope.Filled(100_000, 0), m2 = scope.Filled(100_000, 0);
        Dropout.Forward(D, ones, out1, m1, p, seed);
        Dropout.Forward(D, ones, out1, m2, p, seed + 1);
        float[] a = scope.Read(m1), b = scope.Read(m2);
        double kept = a.Count(v => v != 0) / 100_000.0;
        // binomial: standard deviation √(p(1−p)/n) ≈ 0.00145; allow 5σ
        Expect.True(kept >= 0.7 - 0.0073 && kept <= 0.7 + 0.0073, $"kept {kept}, expected 0.7 ± 0.0073");
        Expect.True(a.All(v => v == 0 || Math.Abs(v - (1 / 0.7f)) < 1e-6), "a mask value is neither 0 nor 1/0.7");
        Expect.True(!a.SequenceEqual(b), "two seeds gave the same mask");
    }

    [DeviceCheck]
    public void SoftmaxCrossEntropyWithIgnore()
    {
        const int n = 2, k = 4, h = 3, w = 5, ignore = 255;
        var rng = new Random(170);
        int[] labels = Enumerable.Range(0, n * h * w).Select(i => i % 4 == 3 ? ignore : rng.Next(k)).ToArray();
        RunLoss("softmax CE", Rand(n * k * h * w, 171, -2, 2), labels, n, k, h, w, ignore, dense: true);
        // an image of more than 1024 pixels: host code sums it in several blocks
        const int bigH = 3, bigW = 347;
        int[] bigLabels = Enumerable.Range(0, bigH * bigW).Select(i => i % 5 == 4 ? ignore : rng.Next(2)).ToArray();
        RunLoss("softmax CE, 1041 pixels", Rand(2 * bigH * bigW, 172, -2, 2), bigLabels, 1, 2, bigH, bigW, ignore, dense: true);
        // all ignored: loss 0 and gradient 0, no division by zero
        using var s = new BuffersScope(D);
        Tensor logits = s.Tensor(n, k, h, w, 0.5f), dl = s.Tensor(n, k, h, w, 3f);
        ArrayView<float> loss = s.Filled(1, float.NaN);
        var map = new LabelMap(s.Ints(Enumerable.Repeat(ignore, n * h * w).ToArray()), n, h, w);
        Losses.SoftmaxCrossEntropy(D, logits, map, ignore, loss);
        Losses.SoftmaxCrossEntropyBackward(D, logits, map, ignore, 1f, dl, accumulate: false);
        Expect.Equal(0f, s.Read(loss)[0]);
        Expect.SameValues(new float[s.Read(dl).Length], s.Read(dl));
    }

    [DeviceCheck]
    public void BceWithLogitsOnClassPresence()
    {
        const int n = 3, k = 5, h = 4, w = 6, ignore = 255;
        var rng = new Random(180);
        // image 0 sees classes {0,1}, image 1 {2,3,4}, image 2 only ignore and class 4
        int[] labels = Enumerable.Range(0, n * h * w).Select(i => (i / (h * w)) switch
        {
            0 => rng.Next(2),
            1 => 2 + rng.Next(3),
            _ => i % 3 == 0 ? 4 : ignore,
        }).ToArray();
        RunLoss("BCE presence", Rand(n * k, 181, -3, 3), labels, n, k, h, w, ignore, dense: false);
    }

    [DeviceCheck]
    public void BcePresenceOfAnImageWithAnInvalidLabelIsNaNEvenWhereClassZeroFollows()
    {
        // pixel 0 holds a label that is neither a class nor ignored, every later pixel class 0: a grid-stride thread
        // meets the bad label first and class 0 later, and must not let the later write hide the bad one
        const int n = 2, k = 3, h = 9, w = 11;
        int[] labels = Enumerable.Range(0, n * h * w).Select(i => i == 0 ? 7 : 0).ToArray();
        using var s = new BuffersScope(D);
        ArrayView<float> loss = s.Filled(1, 0f);
        var map = new LabelMap(s.Ints(labels), n, h, w);
        Losses.BceWithLogitsPresence(D, s.Tensor(n, k, 1, 1, 0.5f), map, 255, loss);
        Expect.True(float.IsNaN(s.Read(loss)[0]), $"loss {s.Read(loss)[0]}: the invalid label vanished");
    }

    private void RunLoss(string name, double[] logits, int[] labels, int n, int k, int h, int w, int ignore, bool dense)
    {
        int lh = dense ? h : 1, lw = dense ? w : 1;
        GradientCheck.Run(new OpCase(name, [logits], [GradKind.Input],
            xs => [dense ? Naive.SoftmaxCrossEntropy(xs[0], labels, n, k, h * w, ignore) : Naive.BcePresence(xs[0], labels, n, k, h * w, ignore)],
            (xs, dy, acc, pre) =>
            {
                using var s = new BuffersScope(D);
                Tensor x = s.Tensor(xs[0], n, k, lh, lw), dx = s.Tensor(n, k, lh, lw, pre);
                var map = new LabelMap(s.Ints(labels), n, h, w);
                ArrayView<float> loss = s.Filled(1, float.NaN);
                if (dense)
                {
                    Losses.SoftmaxCrossEntropy(D, x, map, ignore, loss);
                    Losses.SoftmaxCrossEntropyBackward(D, x, map, ignore, dy[0], dx, acc);
                }
                else
                {
                    Losses.BceWithLogitsPresence(D, x, map, ignore, loss);
                    Losses.BceWithLogitsPresenceBackward(D, x, map, ignore, dy[0], dx, acc);
                }

                return (s.Read(loss), [s.Read(dx)]);
            },
            n * k * h * w));
    }
}
