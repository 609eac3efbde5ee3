using System.Security.Cryptography;
using System.Text;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// Picks the communicator of this process (<see cref="FromEnvironment"/>) and checks that the ranks agree
/// (<see cref="RequireSame"/>). What happens when a rank fails is <see cref="FailurePolicy"/>'s.
/// </summary>
public static class Communicators
{
    /// <summary>Set by Open MPI's mpirun (and prterun) in every rank: the number of ranks.</summary>
    public const string OpenMpiSizeVariable = "OMPI_COMM_WORLD_SIZE";

    /// <summary>
    /// <see cref="MpiCommunicator"/> when this process was started by Open MPI's <c>mpirun -np N</c> with N &gt; 1
    /// (<c>OMPI_COMM_WORLD_SIZE</c>), or by a PMIx launcher such as <c>srun --mpi=pmix</c> (<c>PMIX_RANK</c>);
    /// <see cref="SingleProcess"/> otherwise (plain <c>dotnet …</c>, or <c>mpirun -np 1</c>: no MPI is loaded).
    /// Throws <see cref="DistributedLibraryException"/> when launched by mpirun but libmpi.so.40 is missing, and
    /// NotSupportedException when launched by another MPI's launcher (MPICH, Intel MPI: <c>PMI_SIZE</c>), whose
    /// ABI this binding does not speak. An MPI communicator also gets the unhandled-exception hook of the failure
    /// policy (<see cref="FailurePolicy.AbortOnUnhandledExceptions"/>).
    /// </summary>
    public static ICommunicator FromEnvironment()
    {
        int? launched = LaunchedSize(Environment.GetEnvironmentVariable);
        if (launched is null or 1)
            return SingleProcess.Instance;
        MpiCommunicator mpi;
        try
        {
            mpi = MpiCommunicator.Initialize();
        }
        catch (DistributedLibraryException e)
        {
            throw new DistributedLibraryException(
                $"this process was started by mpirun as one of {(launched > 0 ? launched.ToString() : "several")} ranks, but MPI is not usable here: {e.Message}", e);
        }

        FailurePolicy.AbortOnUnhandledExceptions(mpi);
        return mpi;
    }

    /// <summary>
    /// The number of ranks the launcher says this process belongs to: null when no MPI launcher started it, 0 when
    /// one did but the size is known only after MPI_Init (PMIx without Open MPI's variables).
    /// </summary>
    internal static int? LaunchedSize(Func<string, string?> variable)
    {
        if (variable(OpenMpiSizeVariable) is { } ompi)
        {
            return int.TryParse(ompi, out int size) && size >= 1
                ? size
                : throw new InvalidOperationException($"{OpenMpiSizeVariable}={ompi} is not a rank count");
        }

        if (variable("PMIX_RANK") is not null)
            return 0;
        if (variable("PMI_SIZE") is { } pmi && int.TryParse(pmi, out int other) && other > 1)
        {
            throw new NotSupportedException(
                $"this process was started by an MPI launcher other than Open MPI's (PMI_SIZE={pmi}, MPICH or Intel MPI): " +
                "NetSpec's MPI binding is for Open MPI (libmpi.so.40); start the run with Open MPI's mpirun");
        }

        return null;
    }

    /// <summary>
    /// This rank's index among the ranks on its own machine (<c>OMPI_COMM_WORLD_LOCAL_RANK</c>; 0 without a launcher):
    /// the GPU a rank of a one-process-per-GPU run should take.
    /// </summary>
    public static int LocalRank() => LocalRank(Environment.GetEnvironmentVariable);

    internal static int LocalRank(Func<string, string?> variable) =>
        variable("OMPI_COMM_WORLD_LOCAL_RANK") is not { } text ? 0
        : int.TryParse(text, out int local) && local >= 0 ? local
        : throw new InvalidOperationException($"OMPI_COMM_WORLD_LOCAL_RANK={text} is not a rank");

    /// <summary>
    /// Checks that every rank has the same <paramref name="value"/> (a spec's text, a batch size, a data
    /// directory's listing): rank 0's SHA-256 is broadcast and every rank learns how many ranks differ. When any
    /// does, every rank throws the same <see cref="InvalidOperationException"/>, naming <paramref name="what"/> and
    /// rank 0's value, so that rank 0 can report it once and all ranks exit cleanly. A collective: every rank calls it.
    /// </summary>
    public static void RequireSame(ICommunicator communicator, string what, string value)
    {
        if (communicator.Size == 1)
            return;
        byte[] mine = SHA256.HashData(Encoding.UTF8.GetBytes(value));
        byte[] root = (byte[])mine.Clone();
        communicator.Broadcast(root, 0);
        Span<double> differing = [mine.AsSpan().SequenceEqual(root) ? 0 : 1];
        communicator.AllReduceSum(differing);
        if (differing[0] == 0)
            return;
        string shown = communicator.Rank == 0 ? $" (rank 0 has {Shorten(value)})"
            : !mine.AsSpan().SequenceEqual(root) ? $" (rank {communicator.Rank} has {Shorten(value)})" : "";
        throw new InvalidOperationException(
            $"the ranks disagree on {what}: {differing[0]:0} of {communicator.Size} rank(s) differ from rank 0{shown}; every rank must run with the same {what}");
    }

    private static string Shorten(string value) => value.Length <= 80 ? $"'{value}'" : $"'{value[..77]}…' ({value.Length} characters)";
}
