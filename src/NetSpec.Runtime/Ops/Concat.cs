using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Ops;

/// <summary>Concatenation along channels: each input is one channel range of y.</summary>
public static partial class Concat
{
    // xs[i] (N,C_i,H,W), y (N,ΣC_i,H,W)
    public static void Forward(Device d, IReadOnlyList<Tensor> xs, Tensor y)
    {
        int offset = CheckShapes(xs, y, "xs");
        Check.That(offset == y.C, $"inputs have {offset} channels in all but y {y} has {y.C}");
        offset = 0;
        foreach (Tensor x in xs)
        {
            Launch(d, x, y, offset, toSlice: true, accumulate: false);
            offset += x.C;
        }
    }

    // dxs[i] = dy[:, offset_i : offset_i + C_i]
    public static void Backward(Device d, Tensor dy, IReadOnlyList<Tensor> dxs, IReadOnlyList<bool> accumulate)
    {
        Check.That(dxs.Count == accumulate.Count, "one accumulate flag per input gradient");
        int total = CheckShapes(dxs, dy, "dxs");
        Check.That(total == dy.C, $"input gradients have {total} channels in all but dy {dy} has {dy.C}");
        int offset = 0;
        for (int i = 0; i < dxs.Count; i++)
        {
            if (dxs[i].View.IsValid)
                Launch(d, dxs[i], dy, offset, toSlice: false, accumulate[i]);
            offset += dxs[i].C;
        }
    }

    private static int CheckShapes(IReadOnlyList<Tensor> parts, Tensor whole, string name)
    {
        Check.Valid(whole, "y");
        Check.That(parts.Count > 0, $"{name} is empty");
        int channels = 0;
        foreach (Tensor p in parts)
        {
            Check.That(p.N == whole.N && p.H == whole.H && p.W == whole.W, $"{name} part {p} does not match {whole} in N, H or W");
            channels += p.C;
        }

        return channels;
    }

    private static void Launch(Device d, Tensor part, Tensor whole, int offset, bool toSlice, bool accumulate)
    {
        if (toSlice)
            Check.Valid(part, "x");
        if (d.HostPath(part.Length, out int threads))
        {
            SliceCopyHost(part, whole, offset, toSlice, accumulate);
            return;
        }

        Check.Fits32(part, "x");
        d.Kernel("concat.copy", SliceCopyKernel)(
            threads, part.View, whole.View, Dims.Of(part), whole.C, offset, toSlice ? 1 : 0, accumulate ? 1 : 0, threads);
    }

    // part (N,Cp,H,W) ↔ whole (N,Cw,H,W) at channel offset; toSlice: whole ← part, else part (+)= whole
    internal static void SliceCopyKernel(Index1D index, ArrayView<float> part, ArrayView<float> whole, Dims p, int wholeC, int offset, int toSlice, int accumulate, int stride)
    {
        int hw = p.H * p.W;
        long n = p.Length;
        for (long i = index; i < n; i += stride)
        {
            int s = (int)i % hw; // 32-bit: the host checked the part's length
            int r = (int)i / hw;
            int c = r % p.C;
            int b = r / p.C;
            long j = ((((long)b * wholeC) + offset + c) * hw) + s;
            if (toSlice != 0)
                whole[j] = part[i];
            else
                part[i] = accumulate != 0 ? part[i] + whole[j] : whole[j];
        }
    }
}
