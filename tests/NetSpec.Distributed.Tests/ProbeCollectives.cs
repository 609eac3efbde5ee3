using NetSpec.Runtime.Distributed;

namespace NetSpec.Distributed.Tests;

/// <summary>
/// The "collectives" probe case, on 2 ranks: exact float and double sums, buffers of several chunks (blocking,
/// non-blocking, broadcast), argument checks, barrier, <see cref="Communicators.RequireSame"/>, NCCL's unique id
/// exchange over MPI, and .NET's null dereference after MPI_Init. A failed check throws, and the failure policy
/// turns that into one line and a non-zero exit of both ranks.
/// </summary>
internal static class ProbeCollectives
{
    public static void Check(MpiCommunicator comm)
    {
        int rank = comm.Rank, size = comm.Size;
        Require(size == 2, $"size {size}, expected 2");
        Require(int.Parse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK")!) == rank, "rank differs from OMPI_COMM_WORLD_RANK");
        Require(comm.ThreadLevel >= 2, $"thread level {comm.ThreadLevel}");
        Expect<InvalidOperationException>(() => MpiCommunicator.Initialize(), "a second communicator");

        // float and double sums, exact (integers below 2^24, halves)
        float[] floats = Enumerable.Range(0, 1000).Select(i => (float)(rank * 1000 + i)).ToArray();
        comm.AllReduceSum(floats);
        for (int i = 0; i < floats.Length; i++)
            Require(floats[i] == 1000f * size * (size - 1) / 2 + size * i, $"float sum [{i}] = {floats[i]}");
        double[] doubles = Enumerable.Range(0, 777).Select(i => (rank + 1) * 0.5 + i).ToArray();
        comm.AllReduceSum(doubles);
        for (int i = 0; i < doubles.Length; i++)
            Require(doubles[i] == 0.5 * size * (size + 1) / 2 + size * i, $"double sum [{i}] = {doubles[i]}");
        comm.AllReduceSum(Span<float>.Empty);

        // buffers of several chunks (MaxChunkElements stands in for int.MaxValue): blocking, non-blocking, broadcast
        comm.MaxChunkElements = 1000;
        float[] chunked = Enumerable.Range(0, 4567).Select(i => (float)(i * (rank + 1))).ToArray();
        comm.AllReduceSum(chunked);
        for (int i = 0; i < chunked.Length; i++)
            Require(chunked[i] == i * 3f, $"chunked sum [{i}] = {chunked[i]}");
        float[] first = Enumerable.Range(0, 3001).Select(i => (float)(i + rank)).ToArray();
        float[] second = Enumerable.Repeat((float)rank, 10).ToArray();
        IPendingReduce a = comm.StartAllReduceSum(first);
        IPendingReduce b = comm.StartAllReduceSum(second);
        int polls = 0;
        while (!a.Test())
            polls++;
        a.Wait();
        b.Wait();
        b.Wait();
        Require(b.Test(), "Test after Wait");
        for (int i = 0; i < first.Length; i++)
            Require(first[i] == 2 * i + 1, $"non-blocking sum [{i}] = {first[i]}");
        Require(second.All(v => v == 1), "second bucket");
        byte[] bytes = new byte[2500];
        for (int root = 0; root < size; root++)
        {
            if (rank == root)
                for (int i = 0; i < bytes.Length; i++)
                    bytes[i] = (byte)(i * 7 + root);
            else
                Array.Clear(bytes);
            comm.Broadcast(bytes, root);
            for (int i = 0; i < bytes.Length; i++)
                Require(bytes[i] == (byte)(i * 7 + root), $"broadcast from {root} [{i}] = {bytes[i]}");
        }

        comm.MaxChunkElements = int.MaxValue;
        Expect<ArgumentOutOfRangeException>(() => comm.Broadcast(bytes, size), "broadcast root out of range");
        Expect<ArgumentOutOfRangeException>(() => comm.MaxChunkElements = 0, "chunk size 0");
        comm.Barrier();

        // agreement checks and NCCL's unique id exchange (with a stand-in for ncclGetUniqueId)
        Communicators.RequireSame(comm, "spec", "same text");
        string disagreement = Expect<InvalidOperationException>(() => Communicators.RequireSame(comm, "--batch", rank == 0 ? "4" : "8"), "different values");
        Require(disagreement.Contains("the ranks disagree on --batch: 1 of 2"), disagreement);
        NcclUniqueId id = NcclCommunicator.ExchangeUniqueId(comm, () =>
        {
            Require(rank == 0, "only rank 0 makes the id");
            NcclUniqueId made = default;
            for (int i = 0; i < NcclUniqueId.Length; i++)
                made.Bytes[i] = (byte)(255 - i);
            return made;
        });
        for (int i = 0; i < NcclUniqueId.Length; i++)
            Require(id.Bytes[i] == (byte)(255 - i), $"unique id byte {i} = {id.Bytes[i]}");

        // errors come back as exceptions (MPI_ERRORS_RETURN), not as Open MPI's abort: a negative count is MPI_ERR_COUNT
        string error = Expect<MpiException>(() => NegativeCount(), "MPI_Allreduce with count -1");
        Require(error.StartsWith("MPI_Allreduce failed: MPI error 2: MPI_ERR_COUNT", StringComparison.Ordinal), error);

        // Open MPI must not have taken .NET's SIGSEGV handler: a null dereference is still an exception
        string? nothing = Environment.GetEnvironmentVariable("NETSPEC_PROBE_UNSET_VARIABLE");
        Expect<NullReferenceException>(() => _ = nothing!.Length, "null dereference after MPI_Init");
        Console.WriteLine($"rank {rank}: {polls} polls before the non-blocking sum was done");
    }

    private static unsafe void NegativeCount()
    {
        MpiHandles world = MpiHandles.Load();
        float value = 0;
        MpiException.Check(MpiNative.Allreduce(MpiNative.InPlace, &value, -1, world.Float, world.Sum, world.CommWorld), "MPI_Allreduce");
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
            throw new InvalidOperationException($"probe check failed: {what}");
    }

    private static string Expect<T>(Action action, string what) where T : Exception
    {
        try
        {
            action();
        }
        catch (T e)
        {
            return e.Message;
        }

        throw new InvalidOperationException($"probe check failed: no {typeof(T).Name} for {what}");
    }
}
