using System.Runtime.ExceptionServices;
using NetSpec.Runtime.Distributed;

namespace NetSpec.Samples.SANet.Training;

/// <summary>
/// A step that every rank takes before training (resolving options, checks, opening the network): a failure on any
/// rank stops every rank, never leaving one waiting in a collective. After the step the ranks all-reduce (rank 0
/// failed, ranks failed). Where rank 0 failed, it reports its error and the others stop quietly
/// (<see cref="RankStoppedException"/>): the errors every rank meets alike (bad options, bad settings) print once.
/// Where only other ranks failed, each prints its own as "rank r: …" and rank 0 says how many failed.
/// The step itself must call its collectives unconditionally (catch, then throw after them).
/// </summary>
public static class RankAgreement
{
    public static T Run<T>(ICommunicator comm, Func<T> step)
    {
        if (comm.Size == 1)
            return step();
        T result = default!;
        Exception? failure = null;
        try
        {
            result = step();
        }
        catch (Exception e)
        {
            failure = e;
        }

        Span<double> votes = [failure is not null && comm.Rank == 0 ? 1 : 0, failure is not null ? 1 : 0];
        comm.AllReduceSum(votes);
        if (votes[1] == 0)
            return result;
        if (votes[0] > 0)
        {
            if (comm.Rank == 0)
                ExceptionDispatchInfo.Throw(failure!);
            throw new RankStoppedException();
        }

        if (failure is not null)
            throw new RankFailedException($"rank {comm.Rank}: {failure.Message}", failure);
        throw new RankFailedException($"{votes[1]:F0} of {comm.Size} ranks failed before training (each printed its error); every rank stops");
    }

    public static void Run(ICommunicator comm, Action step) => Run(comm, () =>
    {
        step();
        return 0;
    });
}
