#if NETSPEC_API_STUBS
// Compiled only with -p:UseApiStubs=true: the documented runtime API (docs/design/runtime-ops.md)
// with empty bodies, so that this project can be compile-checked (and its harness smoke-run) before
// the runtime ops and the optimizer are integrated. The numbers such a build prints mean nothing.
using ILGPU;
using NetSpec.Runtime;

namespace NetSpec.Runtime.Ops
{
    public readonly record struct ConvGeometry(int KernelH, int KernelW, int StrideH, int StrideW,
        int PadH, int PadW, int DilationH, int DilationW, int Groups);

    public static class Conv2d
    {
        public static void Forward(Device d, Tensor x, ArrayView<float> w, ArrayView<float> b, Tensor y, ConvGeometry g) { }

        public static void BackwardInput(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, bool accumulate) { }

        public static void BackwardParams(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ArrayView<float> db, ConvGeometry g) { }
    }

    public static class BatchNorm
    {
        public static void Statistics(Device d, Tensor x, ArrayView<float> mean, ArrayView<float> invStd,
            ArrayView<float> runningMean, ArrayView<float> runningVar, ArrayView<float> counter, float momentum, float eps, bool training) { }

        public static void Apply(Device d, Tensor x, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma, ArrayView<float> beta, Tensor y, bool relu) { }

        public static void Backward(Device d, Tensor x, Tensor y, Tensor dy, ArrayView<float> mean, ArrayView<float> invStd, ArrayView<float> gamma,
            Tensor dx, ArrayView<float> dgamma, ArrayView<float> dbeta, bool relu, bool accumulate) { }
    }

    public static class Resize
    {
        public static void BilinearForward(Device d, Tensor x, Tensor y, bool alignCorners) { }

        public static void BilinearBackward(Device d, Tensor dy, Tensor dx, bool alignCorners, bool accumulate) { }
    }

    public static class Losses
    {
        public static void SoftmaxCrossEntropy(Device d, Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> loss) { }

        public static void SoftmaxCrossEntropyBackward(Device d, Tensor logits, LabelMap labels, int ignoreIndex, float weight, Tensor dlogits, bool accumulate) { }

        public static void BceWithLogitsPresence(Device d, Tensor logits, LabelMap labels, int ignoreIndex, ArrayView<float> loss) { }

        public static void BceWithLogitsPresenceBackward(Device d, Tensor logits, LabelMap labels, int ignoreIndex, float weight, Tensor dlogits, bool accumulate) { }
    }

    public interface IGemm
    {
        void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
            ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc);
    }

    public sealed class NoGemm : IGemm
    {
        public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
            ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc) { }
    }

    public static class DeviceGemmStub
    {
        extension(Device d)
        {
            public IGemm Gemm => new NoGemm();
        }
    }
}

namespace NetSpec.Runtime.Training
{
    public sealed class Sgd(Device device, IReadOnlyList<Parameter> parameters, float momentum, float weightDecay)
    {
        public void Step(float lr) => _ = (device, parameters, momentum, weightDecay, lr);
    }
}
#endif
