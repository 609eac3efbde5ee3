namespace NetSpec.Runtime.Gemm;

/// <summary>Which row-major operand a column-major argument slot receives.</summary>
public enum GemmOperand
{
    A,
    B,
}

/// <summary>
/// The arguments of a column-major (BLAS, cuBLAS) strided-batched SGEMM, C_i = alpha · op(X_i) · op(Y_i) + beta · C_i
/// with X_i (lda) in the first operand slot and Y_i (ldb) in the second.
/// </summary>
public readonly record struct ColumnMajorGemm(bool TransA, bool TransB, int M, int N, int K,
    GemmOperand First, int Lda, long StrideA, GemmOperand Second, int Ldb, long StrideB, int Ldc, long StrideC, int Batch)
{
    /// <summary>
    /// Maps a row-major call to column-major arguments. A row-major matrix (r×c, row stride ld) read column-major is
    /// its transpose (c×r, ld), so the row-major C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: B comes first,
    /// m and n swap, the transposes and the batch strides travel with their operands, and C keeps its ld. A leading
    /// dimension is raised to the least BLAS accepts (the stored rows, at least 1), which changes only operands that
    /// are never read (k = 0): a checked row-major call already has ld ≥ its row length.
    /// </summary>
    public static ColumnMajorGemm FromRowMajor(bool transA, bool transB, int m, int n, int k, int lda, long strideA,
        int ldb, long strideB, int ldc, long strideC, int batch) =>
        new(TransA: transB, TransB: transA, M: n, N: m, K: k,
            First: GemmOperand.B, Lda: Math.Max(ldb, Math.Max(1, transB ? k : n)), StrideA: strideB,
            Second: GemmOperand.A, Ldb: Math.Max(lda, Math.Max(1, transA ? m : k)), StrideB: strideA,
            Ldc: Math.Max(ldc, Math.Max(1, n)), StrideC: strideC, Batch: batch);
}
