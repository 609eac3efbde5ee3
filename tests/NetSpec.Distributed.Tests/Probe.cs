using System.Diagnostics;
using NetSpec.Runtime.Distributed;

namespace NetSpec.Distributed.Tests;

/// <summary>
/// The program <see cref="MpiTests"/> starts as every rank of <c>mpirun -np 2</c>:
/// <c>dotnet NetSpec.Distributed.Tests.dll probe &lt;case&gt;</c>. Cases: collectives (every check below, then
/// "ok rank R of N"), throw (rank 1 throws while rank 0 waits in an all-reduce), unhandled (an exception on a
/// background thread of rank 1 while its main thread waits in a barrier), kill (rank 1 kills itself with SIGKILL
/// while rank 0 waits), start (just makes the communicator: for the missing-library case).
/// </summary>
public static class Probe
{
    public static int Main(string[] args)
    {
        if (args is not ["probe", string name])
        {
            Console.Error.WriteLine("usage: dotnet NetSpec.Distributed.Tests.dll probe collectives|throw|unhandled|kill|start");
            return 2;
        }

        ICommunicator comm;
        try
        {
            comm = Communicators.FromEnvironment();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"netspec: {e.Message}");
            return 3;
        }

        using (comm)
        {
            return FailurePolicy.Run(comm, () =>
            {
                switch (name)
                {
                    case "collectives":
                        ProbeCollectives.Check((MpiCommunicator)comm);
                        break;
                    case "throw":
                        comm.Barrier();
                        if (comm.Rank == 1)
                            throw new InvalidOperationException("probe failure on purpose");
                        comm.AllReduceSum(new float[16]); // rank 1 never joins: only the abort ends this
                        break;
                    case "unhandled":
                        comm.Barrier();
                        if (comm.Rank == 1)
                        {
                            new Thread(() =>
                            {
                                Thread.Sleep(300);
                                throw new InvalidOperationException("probe failure on a background thread");
                            }).Start();
                            comm.Barrier(); // rank 0 never joins; the lock of this call is held when the other thread aborts
                        }
                        else
                        {
                            Thread.Sleep(Timeout.Infinite);
                        }

                        break;
                    case "kill":
                        comm.Barrier();
                        if (comm.Rank == 1)
                        {
                            Thread.Sleep(200);
                            Process.GetCurrentProcess().Kill(); // SIGKILL: no .NET code runs after this
                        }

                        comm.AllReduceSum(new float[16]);
                        break;
                    case "start":
                        break;
                    default:
                        throw new ArgumentException($"unknown probe case '{name}'");
                }

                Console.WriteLine($"ok rank {comm.Rank} of {comm.Size}: {comm}");
                return 0;
            });
        }
    }
}
