using System.Reflection;
using System.Runtime.InteropServices;

namespace NetSpec.Runtime.Distributed;

/// <summary>A native library the distributed layer needs (Open MPI's libmpi, NCCL's libnccl) could not be loaded.</summary>
public sealed class DistributedLibraryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Loads libmpi.so.40 and libnccl.so.2 for the <c>LibraryImport</c>s of <see cref="MpiNative"/> and <see cref="NcclNative"/>:
/// from <c>NETSPEC_MPI_LIBRARY</c> / <c>NETSPEC_NCCL_LIBRARY</c> when set (a path or a file name), else by the usual
/// name. libmpi is opened with <c>RTLD_GLOBAL</c>, as mpi4py does: Open MPI's plugins (mca_*.so) are dlopen'ed by it
/// and must see its symbols. A load failure is one <see cref="DistributedLibraryException"/> naming the file, the
/// loader's own reason and the package to install.
/// </summary>
internal static partial class DistributedLibraries
{
    public const string MpiName = "libmpi.so.40";
    public const string NcclName = "libnccl.so.2";
    public const string MpiVariable = "NETSPEC_MPI_LIBRARY";
    public const string NcclVariable = "NETSPEC_NCCL_LIBRARY";

    private static readonly object Gate = new();
    private static IntPtr mpi, nccl;
    private static bool resolverSet;

    /// <summary>libmpi's handle; loads it on first use.</summary>
    public static IntPtr Mpi()
    {
        lock (Gate)
        {
            if (mpi != IntPtr.Zero)
                return mpi;
            string file = Environment.GetEnvironmentVariable(MpiVariable) is { Length: > 0 } named ? named : MpiName;
            mpi = Open(file, global: true, out string? reason);
            if (mpi == IntPtr.Zero)
            {
                throw new DistributedLibraryException(
                    $"cannot load Open MPI's {file}{(file == MpiName ? "" : $" (from {MpiVariable})")}: {reason}. " +
                    "Install Open MPI on every machine of the run (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev), " +
                    $"or set {MpiVariable} to the libmpi.so.40 of the Open MPI that mpirun belongs to.");
            }

            SetResolver();
            return mpi;
        }
    }

    /// <summary>libnccl's handle; loads it on first use.</summary>
    public static IntPtr Nccl()
    {
        lock (Gate)
        {
            if (nccl != IntPtr.Zero)
                return nccl;
            string file = Environment.GetEnvironmentVariable(NcclVariable) is { Length: > 0 } named ? named : NcclName;
            nccl = Open(file, global: false, out string? reason);
            if (nccl == IntPtr.Zero)
            {
                throw new DistributedLibraryException(
                    $"cannot load NCCL's {file}{(file == NcclName ? "" : $" (from {NcclVariable})")}: {reason}. " +
                    "NCCL is needed for gradient all-reduce between CUDA devices: install it (NVIDIA's CUDA repository: " +
                    $"apt-get install libnccl2) or set {NcclVariable} to its path; without it, train on the host communicator (MPI).");
            }

            SetResolver();
            return nccl;
        }
    }

    /// <summary>The address of an exported symbol (a function or, for Open MPI's predefined handles, a global).</summary>
    public static IntPtr Export(IntPtr library, string symbol, string file) =>
        NativeLibrary.TryGetExport(library, symbol, out IntPtr address) && address != IntPtr.Zero
            ? address
            : throw new DistributedLibraryException(
                $"{file} has no symbol {symbol}: this is not the library NetSpec binds to (Open MPI 4 or 5 for libmpi.so.40; NCCL 2 for libnccl.so.2)");

    private static IntPtr Open(string file, bool global, out string? reason)
    {
        reason = null;
        if (OperatingSystem.IsLinux())
        {
            const int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;
            DlError(); // binds dlerror's stub now: binding it after a failed dlopen would clear the message
            IntPtr handle = DlOpen(file, RTLD_NOW | (global ? RTLD_GLOBAL : 0));
            if (handle == IntPtr.Zero)
                reason = Marshal.PtrToStringUTF8(DlError()) ?? "dlopen failed";
            return handle;
        }

        if (NativeLibrary.TryLoad(file, out IntPtr loaded))
            return loaded;
        reason = "not found (NetSpec's MPI and NCCL bindings are for Linux)";
        return IntPtr.Zero;
    }

    // The DllImport resolver of this assembly: only the two names above are ours; any other name is left to the
    // default probing. An application that set its own resolver for NetSpec.Runtime first keeps it: then the
    // LibraryImports load libmpi.so.40 by name, which finds the copy opened above (same soname).
    private static void SetResolver()
    {
        if (resolverSet)
            return;
        resolverSet = true;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(DistributedLibraries).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        MpiName => mpi,
        NcclName => nccl,
        _ => IntPtr.Zero,
    };

    [LibraryImport("libc.so.6", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr DlOpen(string file, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "dlerror")]
    private static partial IntPtr DlError();
}
