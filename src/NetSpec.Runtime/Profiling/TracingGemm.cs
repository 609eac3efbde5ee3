using ILGPU;
using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Profiling;

/// <summary>
/// Records each GEMM (shape, TF32, whether C is read) on the device's trace, then runs it unless the trace is
/// record-only (on the CPU accelerator with the host GEMM: Device.TracedExecutionGemm). Kernels and syncs the
/// GEMM issues itself are part of the call, not recorded separately.
/// </summary>
internal sealed class TracingGemm(Device device) : IGemm
{
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        StepTrace? trace = device.Trace;
        if (trace is null)
        {
            device.UntracedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        GemmChecks.Arguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        trace.Add(new GemmCall(transA, transB, m, n, k, 1, beta != 0f, device.AllowTf32));
        if (trace.RecordOnly)
            return;
        trace.GemmDepth++;
        try
        {
            device.TracedExecutionGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        finally
        {
            trace.GemmDepth--;
        }
    }

    public void GemmStridedBatched(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda, long strideA,
        ArrayView<float> b, int ldb, long strideB, float beta, ArrayView<float> c, int ldc, long strideC, int batch)
    {
        StepTrace? trace = device.Trace;
        if (trace is null)
        {
            device.UntracedGemm.GemmStridedBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
            return;
        }

        GemmChecks.Batched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
        trace.Add(new GemmCall(transA, transB, m, n, k, batch, beta != 0f, device.AllowTf32));
        if (trace.RecordOnly)
            return;
        trace.GemmDepth++;
        try
        {
            device.TracedExecutionGemm.GemmStridedBatched(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
        }
        finally
        {
            trace.GemmDepth--;
        }
    }
}
