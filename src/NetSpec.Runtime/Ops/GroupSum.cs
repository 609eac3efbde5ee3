using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Sums inside one group of an explicitly grouped kernel: each thread's partial into dynamic shared memory, then
/// halved pairwise (t += t + half) in a fixed tree: O(log group) steps instead of one thread adding every
/// partial, and the same bits every run. Every thread of the group must call it (it has barriers).
/// </summary>
internal static class GroupSum
{
    /// <summary>Threads per group: 256, or the largest power of two the accelerator's groups hold.</summary>
    public static int Size(Device d)
    {
        int size = 256;
        while (size > d.MaxGroupThreads)
            size >>= 1;
        return size;
    }

    /// <summary>A launch of <paramref name="groups"/> groups of <see cref="Size"/> threads with the shared memory the sum needs.</summary>
    public static KernelConfig Config(Device d, int groups)
    {
        int size = Size(d);
        return new KernelConfig(new Index1D(groups), new Index1D(size), SharedMemoryConfig.RequestDynamic<float>(size));
    }

    /// <summary>The group's total of <paramref name="partial"/>, returned to every thread (group size: a power of two).</summary>
    public static float Of(float partial)
    {
        ArrayView<float> shared = SharedMemory.GetDynamic<float>();
        int t = Group.IdxX;
        shared[t] = partial;
        Group.Barrier();
        for (int half = Group.DimX >> 1; half > 0; half >>= 1)
        {
            if (t < half)
                shared[t] += shared[t + half];
            Group.Barrier();
        }

        float total = shared[0];
        Group.Barrier(); // every thread has read the total before the shared memory is written again
        return total;
    }
}
