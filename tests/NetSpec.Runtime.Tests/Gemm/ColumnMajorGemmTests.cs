using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Tests.Gemm;

/// <summary>
/// The row-major → column-major argument mapping cuBLAS is called with, as a pure function: the mapped call evaluated
/// by a naive column-major strided-batched GEMM over host arrays gives exactly (in double, same order of the sum over p)
/// what the row-major call means, over many shapes, transposes, leading dimensions and batch strides.
/// </summary>
public sealed class ColumnMajorGemmTests
{
    [Fact]
    public void MappedColumnMajorCallComputesTheRowMajorProduct()
    {
        var rng = new Random(7);
        int cases = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            bool ta = rng.Next(2) == 1, tb = rng.Next(2) == 1;
            int m = rng.Next(1, 9), n = rng.Next(1, 9), k = rng.Next(0, 7), batch = rng.Next(1, 4);
            int lda = (ta ? m : k) + rng.Next(0, 3), ldb = (tb ? k : n) + rng.Next(0, 3), ldc = n + rng.Next(0, 3);
            long oneA = (long)(ta ? k : m) * lda, oneB = (long)(tb ? n : k) * ldb, oneC = (long)m * ldc;
            long strideA = rng.Next(3) == 0 ? 0 : oneA + rng.Next(0, 4);
            long strideB = rng.Next(3) == 0 ? 0 : oneB + rng.Next(0, 4);
            long strideC = oneC + rng.Next(0, 4);
            double[] a = Values(((batch - 1) * strideA) + oneA + 1, rng), b = Values(((batch - 1) * strideB) + oneB + 1, rng);
            double[] c = Values(((batch - 1) * strideC) + oneC, rng);
            const double alpha = 0.75, beta = -1.5;

            double[] rowMajor = (double[])c.Clone();
            RowMajor(ta, tb, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, rowMajor, ldc, strideC, batch);

            ColumnMajorGemm call = ColumnMajorGemm.FromRowMajor(ta, tb, m, n, k, lda, strideA, ldb, strideB, ldc, strideC, batch);
            double[] columnMajor = (double[])c.Clone();
            ColumnMajor(call, alpha, call.First == GemmOperand.A ? a : b, call.Second == GemmOperand.A ? a : b, beta, columnMajor);

            Assert.True(rowMajor.SequenceEqual(columnMajor), $"{call} differs from row-major m={m} n={n} k={k} transA={ta} transB={tb} lda={lda} ldb={ldb} ldc={ldc} strides {strideA}/{strideB}/{strideC}");
            cases++;
        }

        Assert.Equal(400, cases);
    }

    [Fact]
    public void BOperandComesFirstWithSwappedSizes()
    {
        ColumnMajorGemm call = ColumnMajorGemm.FromRowMajor(true, false, 3, 5, 7, 3, 21, 5, 0, 6, 18, 4);
        Assert.Equal(new ColumnMajorGemm(false, true, 5, 3, 7, GemmOperand.B, 5, 0, GemmOperand.A, 3, 21, 6, 18, 4), call);
    }

    /// <summary>BLAS rejects a leading dimension below the stored rows even where k = 0 reads nothing: those are raised.</summary>
    [Fact]
    public void LeadingDimensionsMeetTheBlasMinimumWhenKIsZero()
    {
        ColumnMajorGemm call = ColumnMajorGemm.FromRowMajor(false, false, 4, 6, 0, 0, 0, 0, 0, 6, 24, 2);
        Assert.True(call.Lda >= call.M && call.Ldb >= 1 && call.Ldc >= call.M, call.ToString());
        ColumnMajorGemm transposed = ColumnMajorGemm.FromRowMajor(true, true, 4, 6, 0, 0, 0, 0, 0, 6, 24, 2);
        Assert.True(transposed.Lda >= 1 && transposed.Ldb >= transposed.N, transposed.ToString());
    }

    // C_i (m×n, row-major, ldc) = alpha · op(A_i) · op(B_i) + beta · C_i
    private static void RowMajor(bool ta, bool tb, int m, int n, int k, double alpha, double[] a, int lda, long sa, double[] b, int ldb, long sb,
        double beta, double[] c, int ldc, long sc, int batch)
    {
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                        sum += a[(t * sa) + (ta ? ((long)p * lda) + i : ((long)i * lda) + p)] * b[(t * sb) + (tb ? ((long)j * ldb) + p : ((long)p * ldb) + j)];
                    long at = (t * sc) + ((long)i * ldc) + j;
                    c[at] = (alpha * sum) + (beta * c[at]);
                }
    }

    // the BLAS definition: element (r, col) of a column-major matrix with leading dimension ld is at r + col · ld
    private static void ColumnMajor(ColumnMajorGemm g, double alpha, double[] x, double[] y, double beta, double[] c)
    {
        for (int t = 0; t < g.Batch; t++)
            for (int i = 0; i < g.M; i++)
                for (int j = 0; j < g.N; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < g.K; p++)
                    {
                        double xv = x[(t * g.StrideA) + (g.TransA ? p + ((long)i * g.Lda) : i + ((long)p * g.Lda))];
                        double yv = y[(t * g.StrideB) + (g.TransB ? j + ((long)p * g.Ldb) : p + ((long)j * g.Ldb))];
                        sum += xv * yv;
                    }

                    long at = (t * g.StrideC) + i + ((long)j * g.Ldc);
                    c[at] = (alpha * sum) + (beta * c[at]);
                }
    }

    private static double[] Values(long n, Random rng) => Enumerable.Range(0, (int)n).Select(_ => (rng.NextDouble() * 2) - 1).ToArray();
}
