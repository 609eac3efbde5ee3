using System.Runtime.InteropServices;
using NetSpec.Runtime;
using NetSpec.Runtime.Distributed;

namespace NetSpec.Distributed.Tests;

/// <summary>What needs no second process: launch detection, the failure line, SingleProcess, NCCL's argument checks and missing library.</summary>
public sealed class CommunicatorTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Launch_size_comes_from_open_mpi_variables()
    {
        Assert.Null(Communicators.LaunchedSize(Env()));
        Assert.Equal(1, Communicators.LaunchedSize(Env(("OMPI_COMM_WORLD_SIZE", "1"))));
        Assert.Equal(4, Communicators.LaunchedSize(Env(("OMPI_COMM_WORLD_SIZE", "4"), ("PMIX_RANK", "2"))));
        Assert.Equal(0, Communicators.LaunchedSize(Env(("PMIX_RANK", "0"))));
        Assert.Null(Communicators.LaunchedSize(Env(("PMI_SIZE", "1"))));
        Assert.Throws<InvalidOperationException>(() => Communicators.LaunchedSize(Env(("OMPI_COMM_WORLD_SIZE", "two"))));
        var other = Assert.Throws<NotSupportedException>(() => Communicators.LaunchedSize(Env(("PMI_SIZE", "2"))));
        Assert.Contains("other than Open MPI's (PMI_SIZE=2", other.Message);
        Assert.Equal(0, Communicators.LocalRank(Env()));
        Assert.Equal(3, Communicators.LocalRank(Env(("OMPI_COMM_WORLD_LOCAL_RANK", "3"))));
        Assert.Throws<InvalidOperationException>(() => Communicators.LocalRank(Env(("OMPI_COMM_WORLD_LOCAL_RANK", "-1"))));
    }

    [Fact]
    public void Without_a_launcher_the_communicator_is_the_single_process()
    {
        Assert.Null(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE")); // the test runner is not started by mpirun
        ICommunicator comm = Communicators.FromEnvironment();
        Assert.Same(SingleProcess.Instance, comm);
        float[] values = [1, 2];
        comm.AllReduceSum(values);
        Assert.Equal([1f, 2f], values);
        Assert.True(comm.StartAllReduceSum(values).Test());
        Communicators.RequireSame(comm, "spec", "anything");
        Assert.Equal(7, FailurePolicy.Run(comm, () => 7));
        Assert.Throws<FormatException>(() => FailurePolicy.Run(comm, () => throw new FormatException("one process: propagates")));
    }

    [Fact]
    public void The_failure_line_is_one_line_with_the_inner_error()
    {
        var error = new AggregateException(new System.Reflection.TargetInvocationException(new IOException("disk full\nwhile writing\r\n  the checkpoint")));
        Assert.Equal("netspec: rank 3 of 8 failed: IOException: disk full while writing the checkpoint (aborting all ranks)",
            FailurePolicy.FailureLine(3, 8, error));
    }

    [Fact]
    public void Nccl_unique_id_goes_from_rank_zero()
    {
        NcclUniqueId id = NcclCommunicator.ExchangeUniqueId(SingleProcess.Instance, () =>
        {
            NcclUniqueId made = default;
            made.Bytes[0] = 42;
            made.Bytes[NcclUniqueId.Length - 1] = 7;
            return made;
        });
        Assert.Equal(128, NcclUniqueId.Length);
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
        Assert.Equal(42, id.Bytes[0]);
        Assert.Equal(7, id.Bytes[127]);
    }

    [Fact]
    public void Nccl_all_reduce_arguments_are_checked()
    {
        NcclCommunicator.CheckAllReduce(IntPtr.Zero, 0, NcclDataType.Float32);
        NcclCommunicator.CheckAllReduce(1024, 10, NcclDataType.BFloat16);
        Assert.Throws<ArgumentOutOfRangeException>(() => NcclCommunicator.CheckAllReduce(1024, -1, NcclDataType.Float32));
        Assert.Throws<ArgumentNullException>(() => NcclCommunicator.CheckAllReduce(IntPtr.Zero, 1, NcclDataType.Float32));
        Assert.Throws<ArgumentOutOfRangeException>(() => NcclCommunicator.CheckAllReduce(1024, 1, (NcclDataType)3));
    }

    [Fact]
    public void Nccl_needs_a_cuda_device()
    {
        Assert.Throws<ArgumentNullException>(() => NcclCommunicator.Create(null!, null!));
        using Device cpu = Device.Create("cpu");
        var e = Assert.Throws<ArgumentException>(() => NcclCommunicator.Create(SingleProcess.Instance, cpu));
        Assert.Contains("NCCL reduces CUDA device memory; this rank's device is cpu", e.Message);
    }

    [Fact]
    public void Missing_libnccl_is_a_clear_error()
    {
        if (NativeLibrary.TryLoad("libnccl.so.2", out IntPtr present))
        {
            NativeLibrary.Free(present);
            Assert.True(NcclCommunicator.LibraryVersion() >= 20000); // a machine with NCCL: it loads and answers
            return;
        }

        var e = Assert.Throws<DistributedLibraryException>(() => NcclCommunicator.LibraryVersion());
        Assert.StartsWith("cannot load NCCL's libnccl.so.2: libnccl.so.2: cannot open shared object file", e.Message);
        Assert.Contains("apt-get install libnccl2", e.Message);
    }
}
