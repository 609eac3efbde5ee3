using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>ReLU, leaky ReLU and sigmoid; the backward passes read the forward output y (x is not kept).</summary>
public static class Activation
{
    // x (any), y (same)
    public static void Relu(Device d, Tensor x, Tensor y)
    {
        if (ForwardOnHost(d, x, y, out int threads))
            HostOps.Relu(x, y);
        else
            d.Kernel("relu.fwd", ReluForwardKernel)(threads, x.View, y.View, x.Length, threads);
    }

    // dx = dy · [y > 0]
    public static void ReluBackward(Device d, Tensor y, Tensor dy, Tensor dx, bool accumulate)
    {
        if (BackwardOnHost(d, y, dy, dx, out int threads))
            HostOps.ReluBackward(y, dy, dx, accumulate);
        else
            d.Kernel("relu.bwd", ReluBackwardKernel)(threads, y.View, dy.View, dx.View, y.Length, accumulate ? 1 : 0, threads);
    }

    // x (any), y (same): y = x for x > 0, slope · x otherwise
    public static void LeakyRelu(Device d, Tensor x, Tensor y, float slope)
    {
        if (ForwardOnHost(d, x, y, out int threads))
            HostOps.LeakyRelu(x, y, slope);
        else
            d.Kernel("leaky_relu.fwd", LeakyReluForwardKernel)(threads, x.View, y.View, slope, x.Length, threads);
    }

    // dx = dy · (y > 0 ? 1 : slope); with slope ≥ 0, y > 0 exactly when x > 0
    public static void LeakyReluBackward(Device d, Tensor y, Tensor dy, Tensor dx, float slope, bool accumulate)
    {
        if (BackwardOnHost(d, y, dy, dx, out int threads))
            HostOps.LeakyReluBackward(y, dy, dx, slope, accumulate);
        else
            d.Kernel("leaky_relu.bwd", LeakyReluBackwardKernel)(threads, y.View, dy.View, dx.View, slope, y.Length, accumulate ? 1 : 0, threads);
    }

    public static void Sigmoid(Device d, Tensor x, Tensor y)
    {
        if (ForwardOnHost(d, x, y, out int threads))
            HostOps.Sigmoid(x, y);
        else
            d.Kernel("sigmoid.fwd", SigmoidForwardKernel)(threads, x.View, y.View, x.Length, threads);
    }

    // dx = dy · y · (1 − y)
    public static void SigmoidBackward(Device d, Tensor y, Tensor dy, Tensor dx, bool accumulate)
    {
        if (BackwardOnHost(d, y, dy, dx, out int threads))
            HostOps.SigmoidBackward(y, dy, dx, accumulate);
        else
            d.Kernel("sigmoid.bwd", SigmoidBackwardKernel)(threads, y.View, dy.View, dx.View, y.Length, accumulate ? 1 : 0, threads);
    }

    // x (any), y (same); then Device.HostPath over x
    private static bool ForwardOnHost(Device d, Tensor x, Tensor y, out int threads)
    {
        Check.Valid(x, "x");
        Check.SameShape(x, y, "x", "y");
        return d.HostPath(x.Length, out threads);
    }

    // y, dy, dx (same shape); as ForwardOnHost
    private static bool BackwardOnHost(Device d, Tensor y, Tensor dy, Tensor dx, out int threads)
    {
        Check.Valid(y, "y");
        Check.SameShape(y, dy, "y", "dy");
        Check.SameShape(y, dx, "y", "dx");
        return d.HostPath(y.Length, out threads);
    }

    internal static void ReluForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, long n, int stride)
    {
        for (long i = index; i < n; i += stride)
            y[i] = XMath.Max(x[i], 0f);
    }

    internal static void ReluBackwardKernel(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, long n, int accumulate, int stride)
    {
        for (long i = index; i < n; i += stride)
        {
            float g = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate != 0 ? dx[i] + g : g;
        }
    }

    internal static void LeakyReluForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, float slope, long n, int stride)
    {
        for (long i = index; i < n; i += stride)
            y[i] = x[i] > 0f ? x[i] : slope * x[i];
    }

    internal static void LeakyReluBackwardKernel(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, float slope, long n, int accumulate, int stride)
    {
        for (long i = index; i < n; i += stride)
        {
            float g = y[i] > 0f ? dy[i] : slope * dy[i];
            dx[i] = accumulate != 0 ? dx[i] + g : g;
        }
    }

    internal static void SigmoidForwardKernel(Index1D index, ArrayView<float> x, ArrayView<float> y, long n, int stride)
    {
        for (long i = index; i < n; i += stride)
            y[i] = 1f / (1f + XMath.Exp(-x[i]));
    }

    internal static void SigmoidBackwardKernel(Index1D index, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, long n, int accumulate, int stride)
    {
        for (long i = index; i < n; i += stride)
        {
            float g = dy[i] * y[i] * (1f - y[i]);
            dx[i] = accumulate != 0 ? dx[i] + g : g;
        }
    }
}
