namespace NetSpec.Runtime.Distributed;

/// <summary>A range [Start, Start + Length) of a <see cref="ParameterArena"/>'s gradient buffer, all-reduced in one call.</summary>
public sealed record GradientBucket(long Start, long Length, IReadOnlyList<Parameter> Weights);

/// <summary>
/// Cuts a network's gradient buffer (every weight's gradient, contiguous in its arena) into buckets
/// (docs/distributed.md, "Training"). Each weight owns its floats and the alignment gap after them (zeros, never
/// written), so the buckets cover [0, WeightLength) exactly. The cut runs from the buffer's end down, at weight
/// boundaries: backward finishes the last layers first, and an arena keeps each update class in state_dict order,
/// so the top bucket is the first whose gradients are all final and the short remainder is the one backward ends with.
/// </summary>
public static class GradientBuckets
{
    /// <summary>At most 8 Mi floats (32 MiB) a bucket: sanet-r50's 55.6 M gradients go in 7 buckets.</summary>
    public const long MaxBucketFloats = 8 << 20;

    /// <summary>At least 64 Ki floats (256 KiB) a bucket: below that a bucket costs more in latency than it overlaps.</summary>
    public const long MinBucketFloats = 64 << 10;

    /// <summary>
    /// The default size: about a quarter of the gradients, so that a few buckets overlap backward, between
    /// <see cref="MinBucketFloats"/> and <see cref="MaxBucketFloats"/> (sanet-tiny's 637,248 floats: 4 buckets).
    /// </summary>
    public static long DefaultFloats(long weightLength) => Math.Clamp((weightLength + 3) / 4, MinBucketFloats, MaxBucketFloats);

    /// <summary>The buckets of the arena that holds <paramref name="parameters"/>, in arena order; a weight longer than
    /// <paramref name="bucketFloats"/> is a bucket of its own.</summary>
    public static IReadOnlyList<GradientBucket> Cut(IReadOnlyList<Parameter> parameters, long bucketFloats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketFloats, 1);
        Parameter[] weights = parameters.Where(p => p.Grad is not null).OrderBy(p => p.ArenaOffset).ToArray();
        if (weights.Length == 0)
            return [];
        ParameterArena arena = weights[0].Arena;
        if (weights.Any(p => p.Arena != arena) || weights.Length != arena.Parameters.Count(p => p.Grad is not null))
            throw new ArgumentException("the parameters must be all the weights of one arena");

        var buckets = new List<GradientBucket>();
        long end = arena.WeightLength; // the current bucket is [start, end)
        var current = new List<Parameter>();
        for (int i = weights.Length - 1; i >= 0; i--)
        {
            long start = weights[i].ArenaOffset;
            if (current.Count > 0 && end - start > bucketFloats)
            {
                long top = current[^1].ArenaOffset;
                buckets.Add(new GradientBucket(top, end - top, current.AsEnumerable().Reverse().ToArray()));
                (end, current) = (top, []);
            }

            current.Add(weights[i]);
        }

        buckets.Add(new GradientBucket(0, end, current.AsEnumerable().Reverse().ToArray()));
        buckets.Reverse();
        return buckets;
    }
}
