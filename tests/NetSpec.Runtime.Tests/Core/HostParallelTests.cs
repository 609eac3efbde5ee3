using NetSpec.Runtime;

namespace NetSpec.Runtime.Tests.Core;

/// <summary>
/// Alone, after the parallel test classes: a loop started while another thread's loop holds the workers runs
/// serially by design, which would make <see cref="HostParallelTests.ALoopOfOneLeavesTheCoresToTheLoopsInsideIt"/>
/// fail whenever an op test ran beside it.
/// </summary>
[CollectionDefinition(nameof(HostParallelAlone), DisableParallelization = true)]
public sealed class HostParallelAlone;

/// <summary>The host ops' parallel loop: every index once, errors surface, nesting and concurrent callers work.</summary>
[Collection(nameof(HostParallelAlone))]
public sealed class HostParallelTests
{
    [Fact]
    public void EveryIndexRunsExactlyOnce()
    {
        foreach (int count in new[] { 0, 1, 2, 3, 17, 1000 })
        {
            var hits = new int[count];
            HostParallel.For(count, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
    }

    [Fact]
    public void AnExceptionInABodyIsRethrownAndTheLoopStaysUsable()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => HostParallel.For(64, i =>
        {
            if (i == 37)
                throw new InvalidOperationException("index 37");
        }));
        Assert.Equal("index 37", ex.Message);

        int sum = 0;
        HostParallel.For(100, i => Interlocked.Add(ref sum, i));
        Assert.Equal(4950, sum);
    }

    [Fact]
    public void ALoopOfOneLeavesTheCoresToTheLoopsInsideIt()
    {
        if (Environment.ProcessorCount < 2)
            return; // one core: nothing runs beside the caller anyway
        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        HostParallel.For(1, _ => HostParallel.For(64, i =>
        {
            threads[Environment.CurrentManagedThreadId] = true;
            Thread.SpinWait(200_000);
        }));
        Assert.True(threads.Count > 1, "the inner loop ran on one thread only");
    }

    [Fact]
    public void NestedLoopsAndConcurrentCallersComplete()
    {
        var grid = new int[40 * 40];
        HostParallel.For(40, i => HostParallel.For(40, j => Interlocked.Increment(ref grid[(i * 40) + j])));
        Assert.All(grid, g => Assert.Equal(1, g));

        var totals = new long[4];
        Parallel.For(0, 4, t =>
        {
            for (int round = 0; round < 50; round++)
                HostParallel.For(257, i => Interlocked.Add(ref totals[t], i));
        });
        Assert.All(totals, total => Assert.Equal(50L * 256 * 257 / 2, total));
    }
}
