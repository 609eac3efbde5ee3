using ILGPU;
using NetSpec.DeviceChecks;
using NetSpec.Runtime.Ops;

namespace NetSpec.Runtime.Tests.Distributed;

/// <summary>A shard's dropout mask (Device.BatchOffset images in) is the one-process mask of those images of the global batch.</summary>
public sealed class DropoutShardTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AShardDrawsItsImagesOfTheGlobalMask(bool hostCode)
    {
        const int n = 4, c = 3, h = 5, w = 7, plane = c * h * w;
        float[] x = Enumerable.Range(0, n * plane).Select(i => 1f + (i % 13)).ToArray();
        float[] whole = Mask(hostCode, x, n, 0);
        float[] shard = Mask(hostCode, x[(2 * plane)..], n - 2, 2);
        Assert.Equal(whole[(2 * plane)..], shard);
        Assert.NotEqual(whole[..(2 * plane)], shard); // without the offset the shard would repeat the first images' mask
    }

    private static float[] Mask(bool hostCode, float[] x, int n, long offset)
    {
        using Device d = Device.Create("cpu");
        d.HostCode = hostCode;
        d.BatchOffset = offset;
        using var s = new BuffersScope(d);
        Tensor xt = s.Tensor(x, n, 3, 5, 7), y = s.Tensor(n, 3, 5, 7, float.NaN);
        ArrayView<float> mask = s.Filled(x.Length, float.NaN);
        Dropout.Forward(d, xt, y, mask, 0.5f, 1234);
        return s.Read(mask);
    }
}
