namespace NetSpec.Runtime.Ops;

/// <summary>Concatenation as host code: per image, a part is one contiguous block of the whole (block copies, no index arithmetic).</summary>
public static unsafe partial class Concat
{
    // part (N,Cp,H,W) ↔ whole (N,Cw,H,W) at channel offset; toSlice: whole ← part, else part (+)= whole
    private static void SliceCopyHost(Tensor part, Tensor whole, int offset, bool toSlice, bool accumulate)
    {
        float* p = HostOps.P(part.View), w = HostOps.P(whole.View);
        long hw = part.Spatial, block = part.C * hw;
        HostOps.Tasks(part.N, part.Length, n =>
        {
            var ps = new Span<float>(p + (n * block), (int)block);
            var ws = new Span<float>(w + ((((long)n * whole.C) + offset) * hw), (int)block);
            if (toSlice)
                ps.CopyTo(ws);
            else
                HostOps.Store(ws, ps, accumulate);
        });
    }
}
