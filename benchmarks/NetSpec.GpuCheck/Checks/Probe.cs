using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.GpuCheck;

/// <summary>First contact with a machine: which devices ILGPU sees, whether a kernel runs, whether cuBLAS loads.</summary>
internal static class Probe
{
    public static int Run(string deviceName)
    {
        Console.WriteLine($"devices: {string.Join(" | ", Device.Available())}");

        using Device device = Device.Create(deviceName);
        Console.WriteLine($"opened: {device.Name}");
        if (device.Accelerator is CudaAccelerator cuda)
            Console.WriteLine($"cuda: arch {cuda.Architecture}, instruction set {cuda.InstructionSet}, driver {cuda.DriverVersion}, SMs {cuda.NumMultiprocessors}, mem {cuda.MemorySize >> 20} MiB");

        const int n = 1 << 20;
        float[] x = Enumerable.Range(0, n).Select(i => (float)(i % 97)).ToArray();
        using var buffer = device.Accelerator.Allocate1D(x);
        var kernel = device.Accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, int, int>(Saxpy);
        var sw = Stopwatch.StartNew();
        int threads = device.GridStrideThreads(n);
        kernel(threads, buffer.View, n, threads);
        device.Synchronize();
        float[] y = buffer.GetAsArray1D();
        int wrong = Enumerable.Range(0, n).Count(i => y[i] != 2 * x[i] + 1);
        Console.WriteLine($"kernel: saxpy over {n} floats, {wrong} wrong, {sw.Elapsed.TotalMilliseconds:F1} ms incl. compile");

        if (device.Accelerator is CudaAccelerator cudaAccelerator)
        {
            try
            {
                _ = device.Gemm; // the runtime's GEMM registers the cuBLAS name resolver (libcublas.so.12 -> .so.13)
                using var blas = new CuBlas(cudaAccelerator);
                Console.WriteLine($"cublas: version {blas.Version}");
                const int m = 512;
                var rng = new Random(1);
                float[] a = Enumerable.Range(0, m * m).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                float[] b = Enumerable.Range(0, m * m).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
                using var da = cudaAccelerator.Allocate1D(a);
                using var db = cudaAccelerator.Allocate1D(b);
                using var dc = cudaAccelerator.Allocate1D<float>(m * m);
                // column-major C = A·B
                blas.Gemm(CuBlasOperation.NonTranspose, CuBlasOperation.NonTranspose, m, m, m, 1f, da.View, m, db.View, m, 0f, dc.View, m);
                cudaAccelerator.Synchronize();
                float[] c = dc.GetAsArray1D();
                double maxErr = 0;
                for (int i = 0; i < m; i += 37)
                    for (int j = 0; j < m; j += 41)
                    {
                        double s = 0;
                        for (int k = 0; k < m; k++)
                            s += (double)a[k * m + i] * b[j * m + k];
                        maxErr = Math.Max(maxErr, Math.Abs(s - c[j * m + i]));
                    }

                Console.WriteLine($"cublas: sgemm {m}^3 max abs error {maxErr:E2} on a sample");
            }
            catch (Exception e)
            {
                Console.WriteLine($"cublas: FAILED {e.GetType().Name}: {e.Message}");
            }
        }

        return wrong == 0 ? 0 : 1;
    }

    private static void Saxpy(Index1D index, ArrayView<float> data, int n, int stride)
    {
        for (int i = index; i < n; i += stride)
            data[i] = 2 * data[i] + 1;
    }
}
