using ILGPU;

namespace NetSpec.Runtime.Gemm;

/// <summary>Row-major single-precision GEMM on a device: C = alpha · op(A) · op(B) + beta · C.</summary>
public interface IGemm
{
    // op(A) (m,k), op(B) (k,n), C (m,n); leading dimensions are row strides
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc);
}

internal static class GemmChecks
{
    /// <summary>Checks sizes and that each view holds the rows and columns the call will touch.</summary>
    public static void Arguments(bool transA, bool transB, int m, int n, int k, ArrayView<float> a, int lda, ArrayView<float> b, int ldb, ArrayView<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"negative GEMM size m={m} n={n} k={k}");
        Need(a, "A", transA ? k : m, transA ? m : k, lda);
        Need(b, "B", transB ? n : k, transB ? k : n, ldb);
        Need(c, "C", m, n, ldc);
    }

    private static void Need(ArrayView<float> view, string name, int rows, int cols, int ld)
    {
        if (rows == 0 || cols == 0)
            return;
        if (ld < cols)
            throw new ArgumentException($"GEMM {name}: leading dimension {ld} is less than its {cols} columns");
        long needed = ((long)(rows - 1) * ld) + cols;
        if (!view.IsValid || view.Length < needed)
            throw new ArgumentException($"GEMM {name} ({rows}×{cols}, ld {ld}) needs {needed} floats but its view holds {(view.IsValid ? view.Length : 0)}");
    }
}
