using ILGPU.Runtime;
using NetSpec.Runtime.Distributed;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.GpuCheck;

/// <summary>
/// nccl: the NCCL binding on one GPU (a 1-rank communicator over <see cref="SingleProcess"/>): loads libnccl.so.2
/// (or NETSPEC_NCCL_LIBRARY), makes the unique id, ncclCommInitRank, all-reduces 1 M floats in place on the device's
/// stream (with one rank the sum is the input itself) and destroys the communicator. One process per GPU over
/// several GPUs needs a machine with two or more (docs/distributed.md, "NCCL").
/// Exit codes: 0 passed, 1 wrong values or an NCCL error, 3 no libnccl on this machine.
/// </summary>
internal static class NcclCheck
{
    public static int Run()
    {
        int version;
        try
        {
            version = NcclCommunicator.LibraryVersion();
        }
        catch (DistributedLibraryException e)
        {
            Console.WriteLine($"nccl: not checked: {e.Message}");
            return 3;
        }

        Console.WriteLine($"nccl: version code {version}");
        using Device device = Device.Create("cuda");
        const int n = 1 << 20;
        float[] x = Enumerable.Range(0, n).Select(i => (float)(i % 101) - 50).ToArray();
        using var buffer = device.Accelerator.Allocate1D(x);
        using (NcclCommunicator nccl = NcclCommunicator.Create(SingleProcess.Instance, device))
        {
            nccl.AllReduceSum(buffer.View);
            nccl.Synchronize();
        }

        float[] y = buffer.GetAsArray1D();
        int wrong = Enumerable.Range(0, n).Count(i => y[i] != x[i]);
        Console.WriteLine($"nccl: 1-rank all-reduce of {n} floats on {device.Name}: {(wrong == 0 ? "PASS" : $"FAIL, {wrong} values differ")}");
        return wrong == 0 ? 0 : 1;
    }
}
