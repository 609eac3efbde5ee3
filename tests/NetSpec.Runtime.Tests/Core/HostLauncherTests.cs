using ILGPU;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;
using NetSpec.Runtime.Tests.Backends;

namespace NetSpec.Runtime.Tests.Core;

/// <summary>
/// The host launcher calls a kernel method for every index of the extent, on host threads; with a
/// grid-stride kernel any extent covers every item once. (Every op has a host path of its own now, so
/// no op test goes through it.)
/// </summary>
public sealed class HostLauncherTests
{
    [Fact]
    public void AGridStrideKernelCoversEveryItemOnceForAnyExtent()
    {
        using Device d = Device.Create("cpu");
        var scale = HostLauncher.Direct<Action<Index1D, ArrayView<float>, long, float, int>>(Elementwise.ScaleKernel);
        const int n = 10_001;
        foreach (int threads in new[] { 1, 7, 64, n })
        {
            using var s = new BuffersScope(d);
            var x = s.Floats(Enumerable.Range(0, n).Select(i => (float)i).ToArray());
            scale(threads, x, n, 2f, threads); // a second visit of an item would multiply it by 4
            float[] y = s.Read(x);
            for (int i = 0; i < n; i++)
                Assert.Equal(2f * i, y[i]);
        }
    }

    [Fact]
    public void OnlyStaticKernelsWithAnIndexFirstAreAccepted()
    {
        Action<Index1D, int> instance = new Holder().Kernel;
        Assert.Throws<ArgumentException>(() => HostLauncher.Direct(instance));
        Action<int, int> noIndex = NoIndex;
        var ex = Assert.Throws<ArgumentException>(() => HostLauncher.Direct(noIndex));
        Assert.Contains("Index1D", ex.Message, StringComparison.Ordinal);
    }

    private static void NoIndex(int index, int value) => GC.KeepAlive(value);

    private sealed class Holder
    {
        public void Kernel(Index1D index, int value) => GC.KeepAlive(this);
    }
}
