using System.Buffers;

namespace NetSpec.Runtime.Distributed;

/// <summary>
/// The requests of one <see cref="MpiCommunicator.StartAllReduceSum"/> (one per chunk) and the pin of its memory,
/// released when they complete. Calls MPI under the communicator's lock.
/// </summary>
internal sealed unsafe class MpiPendingReduce(object gate, MemoryHandle pin, IntPtr[] requests) : IPendingReduce
{
    private MemoryHandle pin = pin;
    private bool done;

    public void Wait()
    {
        lock (gate)
        {
            if (done)
                return;
            fixed (IntPtr* r = requests)
                MpiException.Check(MpiNative.Waitall(requests.Length, r, null), "MPI_Waitall");
            Release();
        }
    }

    public bool Test()
    {
        lock (gate)
        {
            if (done)
                return true;
            int flag;
            fixed (IntPtr* r = requests)
                MpiException.Check(MpiNative.Testall(requests.Length, r, &flag, null), "MPI_Testall");
            if (flag != 0)
                Release();
            return done;
        }
    }

    private void Release()
    {
        done = true;
        pin.Dispose();
    }
}
