namespace NetSpec.Runtime.Distributed;

/// <summary>Open MPI's predefined handles: the addresses of its exported globals.</summary>
internal readonly record struct MpiHandles(IntPtr CommWorld, IntPtr Float, IntPtr Double, IntPtr Byte, IntPtr Sum, IntPtr ErrorsReturn)
{
    public static MpiHandles Load()
    {
        IntPtr library = DistributedLibraries.Mpi();
        IntPtr Get(string symbol) => DistributedLibraries.Export(library, symbol, DistributedLibraries.MpiName);
        return new MpiHandles(Get("ompi_mpi_comm_world"), Get("ompi_mpi_float"), Get("ompi_mpi_double"), Get("ompi_mpi_byte"),
            Get("ompi_mpi_op_sum"), Get("ompi_mpi_errors_return"));
    }
}
