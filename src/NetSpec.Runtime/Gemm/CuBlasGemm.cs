using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace NetSpec.Runtime.Gemm;

/// <summary>
/// cuBLAS SGEMM (TF32 tensor-op math allowed) on the device's stream. cuBLAS is column-major: a row-major
/// C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so A and B swap places (<see cref="ColumnMajorGemm"/>).
/// A strided batch is one <c>cublasSgemmStridedBatched</c> call on the handle ILGPU.Algorithms holds.
/// </summary>
public sealed unsafe class CuBlasGemm : IGemm, IDisposable
{
    private const CuBlasMathMode Tf32 = (CuBlasMathMode)3; // CUBLAS_TF32_TENSOR_OP_MATH
    private const CuBlasMathMode Pedantic = (CuBlasMathMode)2; // CUBLAS_PEDANTIC_MATH: plain float32
    private readonly Device device;
    private readonly CuBlas<CuBlasPointerModeHandlers.AutomaticMode> blas;
    private CuBlasMathMode mathMode; // the handle's, kept here: reading it back is a library call per GEMM

    public CuBlasGemm(Device device)
    {
        this.device = device;
        CuBlasLibrary.RegisterResolver();
        blas = new CuBlas<CuBlasPointerModeHandlers.AutomaticMode>((CudaAccelerator)device.Accelerator);
        blas.Stream = (CudaStream)device.Accelerator.DefaultStream;
        blas.MathMode = mathMode = device.AllowTf32 ? Tf32 : Pedantic;
        blas.PointerMode = CuBlasPointerMode.Host; // alpha and beta are host floats in every call below
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc) =>
        GemmStridedBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);

    public void GemmStridedBatched(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda, long strideA,
        ArrayView<float> b, int ldb, long strideB, float beta, ArrayView<float> c, int ldc, long strideC, int batch)
    {
        GemmChecks.Batched(transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc, strideC, batch);
        if (m == 0 || n == 0)
            return;
        CuBlasMathMode mode = device.AllowTf32 ? Tf32 : Pedantic;
        if (mathMode != mode)
            blas.MathMode = mathMode = mode;
        // an empty K still scales C: cuBLAS reads neither operand then, so pass C for both
        ColumnMajorGemm call = ColumnMajorGemm.FromRowMajor(transA, transB, m, n, k, lda, k == 0 ? 0 : strideA, ldb, k == 0 ? 0 : strideB, ldc, strideC, batch);
        ArrayView<float> first = k == 0 ? c : call.First == GemmOperand.A ? a : b;
        ArrayView<float> second = k == 0 ? c : call.Second == GemmOperand.A ? a : b;
        int status = CuBlasLibrary.SgemmStridedBatched(blas.Handle, Operation(call.TransA), Operation(call.TransB), call.M, call.N, call.K,
            &alpha, first.LoadEffectiveAddressAsPtr(), call.Lda, call.StrideA, second.LoadEffectiveAddressAsPtr(), call.Ldb, call.StrideB,
            &beta, c.LoadEffectiveAddressAsPtr(), call.Ldc, call.StrideC, call.Batch);
        if (status != 0)
            throw new InvalidOperationException($"cublasSgemmStridedBatched failed with status {status} ({call})");
    }

    public void Dispose() => blas.Dispose();

    private static int Operation(bool transpose) => transpose ? 1 : 0; // CUBLAS_OP_T, CUBLAS_OP_N
}

/// <summary>
/// ILGPU.Algorithms binds libcublas.so.12/11/10; a CUDA 13 machine has only libcublas.so.13. The resolver
/// maps any cuBLAS name the assembly asks for to whichever libcublas loads here; the strided-batched GEMM,
/// which ILGPU.Algorithms does not bind, is looked up in the same library.
/// </summary>
internal static unsafe class CuBlasLibrary
{
    private static readonly string[] Candidates =
        ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so.10", "libcublas.so", "cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"];

    private static IntPtr resolved;

    // the library the resolver gave ILGPU.Algorithms (its handle was created there), else the first that loads
    private static readonly Lazy<IntPtr> StridedBatched = new(() =>
    {
        if (resolved != IntPtr.Zero && NativeLibrary.TryGetExport(resolved, "cublasSgemmStridedBatched", out IntPtr found))
            return found;
        foreach (string candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out IntPtr handle) && NativeLibrary.TryGetExport(handle, "cublasSgemmStridedBatched", out IntPtr export))
                return export;
        }

        throw new DllNotFoundException($"no libcublas with cublasSgemmStridedBatched found (tried {string.Join(", ", Candidates)})");
    });

    private static int registered;

    // cublasStatus_t cublasSgemmStridedBatched(handle, transa, transb, m, n, k, const float* alpha, const float* A, int lda,
    //     long long strideA, const float* B, int ldb, long long strideB, const float* beta, float* C, int ldc, long long strideC, int batchCount)
    public static int SgemmStridedBatched(IntPtr handle, int transA, int transB, int m, int n, int k, float* alpha, IntPtr a, int lda, long strideA,
        IntPtr b, int ldb, long strideB, float* beta, IntPtr c, int ldc, long strideC, int batch) =>
        ((delegate* unmanaged[Cdecl]<IntPtr, int, int, int, int, int, float*, IntPtr, int, long, IntPtr, int, long, float*, IntPtr, int, long, int, int>)StridedBatched.Value)(
            handle, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);

    public static void RegisterResolver()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
            return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(CuBlas<>).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The application set its own resolver for ILGPU.Algorithms first: it decides where cuBLAS comes from.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (!name.Contains("cublas", StringComparison.OrdinalIgnoreCase))
            return IntPtr.Zero;
        if (NativeLibrary.TryLoad(name, assembly, path, out IntPtr handle))
            return resolved = handle;
        foreach (string candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
                return resolved = handle;
        }

        return IntPtr.Zero;
    }
}
