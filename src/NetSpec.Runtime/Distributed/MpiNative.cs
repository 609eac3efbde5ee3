using System.Runtime.InteropServices;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// The handful of MPI calls NetSpec makes, bound to Open MPI's <c>libmpi.so.40</c> (Open MPI 4.x and 5.x; Debian's
/// <c>openmpi-bin</c>/<c>libopenmpi-dev</c>). Every call returns an MPI error code (0 = MPI_SUCCESS). Handles are
/// pointers in Open MPI: MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM … are the addresses of exported globals
/// (<c>ompi_mpi_comm_world</c> …), read once by <see cref="MpiHandles.Load"/>. MPI_IN_PLACE is <c>(void*)1</c> and
/// MPI_STATUS(ES)_IGNORE is NULL in Open MPI's mpi.h. Not for MPICH or Intel MPI, whose handles are integers.
/// </summary>
internal static unsafe partial class MpiNative
{
    private const string Lib = DistributedLibraries.MpiName;

    public const int Success = 0;
    public const int ThreadSingle = 0, ThreadFunneled = 1, ThreadSerialized = 2, ThreadMultiple = 3;
    public const int MaxErrorString = 256; // MPI_MAX_ERROR_STRING
    public const int MaxLibraryVersionString = 256; // MPI_MAX_LIBRARY_VERSION_STRING
    public static readonly void* InPlace = (void*)1;

    [LibraryImport(Lib, EntryPoint = "MPI_Init_thread")]
    public static partial int InitThread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(Lib, EntryPoint = "MPI_Initialized")]
    public static partial int Initialized(int* flag);

    [LibraryImport(Lib, EntryPoint = "MPI_Finalized")]
    public static partial int Finalized(int* flag);

    [LibraryImport(Lib, EntryPoint = "MPI_Finalize")]
    public static partial int Finalize();

    [LibraryImport(Lib, EntryPoint = "MPI_Query_thread")]
    public static partial int QueryThread(int* provided);

    [LibraryImport(Lib, EntryPoint = "MPI_Comm_rank")]
    public static partial int CommRank(IntPtr comm, int* rank);

    [LibraryImport(Lib, EntryPoint = "MPI_Comm_size")]
    public static partial int CommSize(IntPtr comm, int* size);

    [LibraryImport(Lib, EntryPoint = "MPI_Comm_set_errhandler")]
    public static partial int CommSetErrhandler(IntPtr comm, IntPtr errhandler);

    [LibraryImport(Lib, EntryPoint = "MPI_Allreduce")]
    public static partial int Allreduce(void* sendBuffer, void* receiveBuffer, int count, IntPtr datatype, IntPtr op, IntPtr comm);

    [LibraryImport(Lib, EntryPoint = "MPI_Iallreduce")]
    public static partial int Iallreduce(void* sendBuffer, void* receiveBuffer, int count, IntPtr datatype, IntPtr op, IntPtr comm, IntPtr* request);

    [LibraryImport(Lib, EntryPoint = "MPI_Waitall")]
    public static partial int Waitall(int count, IntPtr* requests, void* statuses);

    [LibraryImport(Lib, EntryPoint = "MPI_Testall")]
    public static partial int Testall(int count, IntPtr* requests, int* flag, void* statuses);

    [LibraryImport(Lib, EntryPoint = "MPI_Bcast")]
    public static partial int Bcast(void* buffer, int count, IntPtr datatype, int root, IntPtr comm);

    [LibraryImport(Lib, EntryPoint = "MPI_Barrier")]
    public static partial int Barrier(IntPtr comm);

    [LibraryImport(Lib, EntryPoint = "MPI_Abort")]
    public static partial int Abort(IntPtr comm, int errorCode);

    [LibraryImport(Lib, EntryPoint = "MPI_Error_string")]
    public static partial int ErrorString(int errorCode, byte* text, int* length);

    [LibraryImport(Lib, EntryPoint = "MPI_Get_library_version")]
    public static partial int GetLibraryVersion(byte* text, int* length);
}
