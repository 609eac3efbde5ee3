using ILGPU;

namespace NetSpec.Runtime.Gemm;

/// <summary>Row-major single-precision GEMM on a device: C = alpha · op(A) · op(B) + beta · C.</summary>
public interface IGemm
{
    // op(A) (m,k), op(B) (k,n), C (m,n); leading dimensions are row strides
    void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc);

    /// <summary>
    /// <paramref name="batch"/> independent GEMMs: C_i = alpha · op(A_i) · op(B_i) + beta · C_i with
    /// X_i = X[i · strideX ..]; a stride of 0 shares that operand (a conv's weights) across the batch. The C_i
    /// must not overlap (strideC ≥ the rows and columns of one C, or batch 1). Device GEMMs do it in one launch;
    /// this default (host GEMMs, which convs never ask for it) runs the batch one GEMM at a time.
    /// </summary>
    void GemmStridedBatched(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda, long strideA,
        ArrayView<float> b, int ldb, long strideB, float beta, ArrayView<float> c, int ldc, long strideC, int batch)
    {
        GemmChecks.Batched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
        for (int i = 0; i < batch; i++)
        {
            Gemm(transA, transB, m, n, k, alpha, GemmChecks.Item(a, strideA, i), lda, GemmChecks.Item(b, strideB, i), ldb,
                beta, GemmChecks.Item(c, strideC, i), ldc);
        }
    }
}

internal static class GemmChecks
{
    /// <summary>Checks sizes and that each view holds the rows and columns the call will touch.</summary>
    public static void Arguments(bool transA, bool transB, int m, int n, int k, ArrayView<float> a, int lda, ArrayView<float> b, int ldb, ArrayView<float> c, int ldc) =>
        Batched(transA, transB, m, n, k, a, lda, 0, b, ldb, 0, c, ldc, 0, 1);

    /// <summary>Checks a strided batch: sizes, strides, that the last item of each operand fits its view, and that the C_i do not overlap.</summary>
    public static void Batched(bool transA, bool transB, int m, int n, int k, ArrayView<float> a, int lda, long strideA,
        ArrayView<float> b, int ldb, long strideB, ArrayView<float> c, int ldc, long strideC, int batch)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"negative GEMM size m={m} n={n} k={k}");
        if (batch < 1)
            throw new ArgumentException($"GEMM batch {batch} is not positive");
        Need(a, "A", transA ? k : m, transA ? m : k, lda, strideA, batch);
        Need(b, "B", transB ? n : k, transB ? k : n, ldb, strideB, batch);
        long oneC = Need(c, "C", m, n, ldc, strideC, batch);
        if (batch > 1 && oneC > 0 && strideC < oneC)
            throw new ArgumentException($"GEMM C: batch stride {strideC} is less than one C ({oneC} floats): the batch would overlap");
    }

    /// <summary>The view of batch item <paramref name="i"/> (checked by <see cref="Batched"/> first).</summary>
    public static ArrayView<float> Item(ArrayView<float> view, long stride, int i) =>
        stride == 0 || i == 0 ? view : view.SubView(stride * i, view.Length - (stride * i));

    // floats one item spans, or 0 where it touches none
    private static long Need(ArrayView<float> view, string name, int rows, int cols, int ld, long stride, int batch)
    {
        if (rows == 0 || cols == 0)
            return 0;
        if (ld < cols)
            throw new ArgumentException($"GEMM {name}: leading dimension {ld} is less than its {cols} columns");
        long available = view.IsValid ? view.Length : 0;
        if (stride < 0)
            throw new ArgumentException($"GEMM {name}: batch stride {stride} is negative");
        long one = ((long)(rows - 1) * ld) + cols; // < 2^31 · 2^31: no overflow
        // the last item starts at (batch − 1) · stride; compared by division, so that no product can overflow
        bool fits = available >= one && (stride == 0 || batch - 1 <= (available - one) / stride);
        if (!fits)
            throw new ArgumentException($"GEMM {name} ({batch}×{rows}×{cols}, ld {ld}, batch stride {stride}) needs more floats than its view holds ({available})");
        return one;
    }
}
