namespace NetSpec.Samples.SANet.Data;

/// <summary>
/// Which sample fills each slot of each iteration: epochs are seeded permutations of the dataset, and
/// slot s of iteration i is position i·batch + s of the endless concatenation of epochs. A pure
/// function of (seed, iteration), so a resumed run sees exactly the batches an uninterrupted one would.
/// </summary>
public sealed class BatchOrder(ulong seed, int datasetSize, int batch)
{
    private int cachedEpoch = -1;
    private int[] permutation = [];

    public int SampleAt(long iteration, int slot)
    {
        long position = (iteration * batch) + slot;
        int epoch = (int)(position / datasetSize);
        if (epoch != cachedEpoch)
        {
            permutation = new SeededRandom(seed, 0xE90C, (ulong)epoch).Permutation(datasetSize);
            cachedEpoch = epoch;
        }

        return permutation[(int)(position % datasetSize)];
    }

    /// <summary>The augmentation stream of one slot of one iteration.</summary>
    public SeededRandom AugmentRandom(long iteration, int slot) => new(seed, 0xA06, (ulong)iteration, (ulong)slot);
}
