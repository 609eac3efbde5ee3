using System.Runtime.InteropServices;
using System.Text;
using NetSpec.Runtime;
using NetSpec.Runtime.Distributed;
using NetSpec.Runtime.Weights;
using NetSpec.Samples.SANet.Checkpoints;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// After rank 0 began the run (fresh, or resumed from its work dir), every rank takes rank 0's start: the train state,
/// every parameter (weights, running statistics, counters) and the momentum buffers. Only rank 0 reads and writes the
/// work dir, so a checkpoint neither records nor needs the number of ranks: any number resumes it.
/// </summary>
public static class StartBroadcast
{
    public static TrainState Share(ICommunicator comm, INetwork network, MomentumSgd sgd, TrainState? rank0State)
    {
        byte[] json = comm.Rank == 0 ? Encoding.UTF8.GetBytes(rank0State!.ToJson()) : [];
        byte[] length = BitConverter.GetBytes((long)json.Length);
        comm.Broadcast(length, root: 0);
        if (comm.Rank != 0)
            json = new byte[BitConverter.ToInt64(length)];
        comm.Broadcast(json, root: 0);
        TrainState state = comm.Rank == 0 ? rank0State! : TrainState.FromJson(Encoding.UTF8.GetString(json), "rank 0's train state");

        network.Device.Synchronize();
        foreach (Parameter p in network.Parameters)
        {
            float[] values = comm.Rank == 0 ? DeviceData.Download<float>(p.Value.View) : new float[p.Length];
            comm.Broadcast(MemoryMarshal.AsBytes(values.AsSpan()), root: 0);
            if (comm.Rank != 0)
                DeviceData.Upload(p.Value.View, values);
        }

        List<SafeTensorEntry> momentum = sgd.SaveState(); // F32 bytes, in the same order on every rank
        foreach (SafeTensorEntry entry in momentum)
            comm.Broadcast(entry.Data, root: 0);
        if (comm.Rank != 0)
            sgd.LoadState(momentum, "rank 0's momentum");

        return state;
    }
}
