using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime.Cuda;

namespace NetSpec.Runtime.Gemm;

/// <summary>
/// cuBLAS SGEMM (TF32 tensor-op math allowed) on the device's stream. cuBLAS is column-major: a row-major
/// C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so A and B swap places.
/// </summary>
public sealed class CuBlasGemm : IGemm, IDisposable
{
    private const CuBlasMathMode Tf32 = (CuBlasMathMode)3; // CUBLAS_TF32_TENSOR_OP_MATH
    private const CuBlasMathMode Pedantic = (CuBlasMathMode)2; // CUBLAS_PEDANTIC_MATH: plain float32
    private readonly Device device;
    private readonly CuBlas<CuBlasPointerModeHandlers.AutomaticMode> blas;

    public CuBlasGemm(Device device)
    {
        this.device = device;
        CuBlasLibrary.RegisterResolver();
        blas = new CuBlas<CuBlasPointerModeHandlers.AutomaticMode>((CudaAccelerator)device.Accelerator);
        blas.Stream = (CudaStream)device.Accelerator.DefaultStream;
        blas.MathMode = device.AllowTf32 ? Tf32 : Pedantic;
    }

    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, ArrayView<float> a, int lda,
        ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
    {
        GemmChecks.Arguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
            return;
        CuBlasMathMode mode = device.AllowTf32 ? Tf32 : Pedantic;
        if (blas.MathMode != mode)
            blas.MathMode = mode;
        ArrayView<float> av = k == 0 ? c : a;
        ArrayView<float> bv = k == 0 ? c : b;
        blas.Gemm(transB ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose, transA ? CuBlasOperation.Transpose : CuBlasOperation.NonTranspose,
            n, m, k, alpha, bv, Math.Max(1, ldb), av, Math.Max(1, lda), beta, c, ldc);
    }

    public void Dispose() => blas.Dispose();
}

/// <summary>
/// ILGPU.Algorithms binds libcublas.so.12/11/10; a CUDA 13 machine has only libcublas.so.13. The resolver
/// maps any cuBLAS name the assembly asks for to whichever libcublas loads here.
/// </summary>
internal static class CuBlasLibrary
{
    private static readonly string[] Candidates =
        ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so.10", "libcublas.so", "cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"];

    private static int registered;

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
            return handle;
        foreach (string candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out handle))
                return handle;
        }

        return IntPtr.Zero;
    }
}
