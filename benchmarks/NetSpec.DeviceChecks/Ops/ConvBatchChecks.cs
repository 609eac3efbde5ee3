using ILGPU;
using NetSpec.DeviceChecks.Reference;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.DeviceChecks.Ops;

/// <summary>
/// Convs over batches of several images (with groups, dilation, stride 2, padding) against the naive double
/// reference and central differences, on the kernel paths: one chunk for the whole batch, and one image a chunk.
/// </summary>
public sealed class ConvBatchChecks(DeviceFixture fixture) : OpCheckBase(fixture)
{
    // (N,C,H,W,K,R,S,sh,sw,ph,pw,dh,dw,groups,bias)
    internal static readonly (int N, int C, int H, int W, int K, int R, int S, int Sh, int Sw, int Ph, int Pw, int Dh, int Dw, int G, bool Bias)[] Cases =
    [
        (4, 4, 7, 7, 6, 3, 3, 2, 2, 1, 1, 1, 1, 2, true),   // stride 2, padded, 2 groups, bias
        (3, 3, 8, 6, 4, 3, 3, 1, 1, 2, 2, 2, 2, 1, false),  // dilation 2, padded as far
        (5, 4, 4, 5, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2, true),   // pointwise, grouped: GEMMs on x as it lies
        (4, 6, 5, 5, 3, 1, 1, 2, 2, 0, 0, 1, 1, 1, false),  // strided 1×1 (through im2col)
        (2, 4, 9, 9, 4, 3, 3, 1, 1, 2, 2, 2, 2, 4, false),  // depthwise, dilated
    ];

    [DeviceCheck]
    public void BatchedConvsMatchReference()
    {
        for (int i = 0; i < Cases.Length; i++)
            GradientCheck.Run(ConvCase(D, Cases[i], $"batched conv#{i} N={Cases[i].N}", 40 + i));
    }
}
