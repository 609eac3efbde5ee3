using NetSpec.Runtime.Ops;

namespace NetSpec.Runtime.Tests.Ops;

/// <summary>The digits im2col's threads step by: adding a stride's digits lands where dividing the new index does.</summary>
public sealed class ColumnDigitsTests
{
    [Theory]
    [InlineData(2, 3, 4, 5, 3, 3, 1)]   // a stride below one row of columns
    [InlineData(2, 3, 4, 5, 3, 3, 37)]  // carries through several digits at once
    [InlineData(3, 2, 7, 1, 2, 3, 200)] // Q = 1; stride past a whole image
    [InlineData(1, 5, 2, 2, 1, 1, 6)]   // 1×1 kernel
    public void SteppingByDigitsEqualsDividing(int n, int c, int p, int q, int r, int s, int stride)
    {
        var g = new ConvGeometry(r, s, 1, 1, 0, 0, 1, 1, 1);
        int total = n * c * r * s * p * q;
        ColumnDigits step = ColumnDigits.Of(stride, p, q, c, g);
        for (int first = 0; first < Math.Min(stride, total); first++)
        {
            ColumnDigits at = ColumnDigits.Of(first, p, q, c, g);
            for (int i = first; i < total; i += stride)
            {
                Assert.Equal(ColumnDigits.Of(i, p, q, c, g), at);
                // the digits put together again: the index itself
                Assert.Equal(i, (((((((((at.Image * c) + at.C) * r) + at.R) * s) + at.S) * p) + at.Op) * q) + at.Oq);
                at = at.Add(step, p, q, c, g);
            }
        }
    }
}
