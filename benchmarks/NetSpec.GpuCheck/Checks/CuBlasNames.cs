using System.Reflection;
using System.Runtime.InteropServices;

namespace NetSpec.GpuCheck;

/// <summary>ILGPU.Algorithms asks for libcublas.so.12/11/10; CUDA 13 images ship libcublas.so.13.</summary>
internal static class CuBlasNames
{
    public static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (!name.Contains("cublas", StringComparison.OrdinalIgnoreCase))
            return IntPtr.Zero;
        foreach (string candidate in new[] { name, "libcublas.so.13", "libcublas.so.12", "libcublas.so" })
            if (NativeLibrary.TryLoad(candidate, assembly, path, out IntPtr handle))
                return handle;
        return IntPtr.Zero;
    }
}
