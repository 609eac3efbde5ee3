using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// 3×3 stride-1 convs on the host through Winograd F(2×2, 3×3) (<see cref="Winograd"/>): the forward, and the
/// input gradient, which is the same kind of conv over dy with the filters transposed and turned by 180°
/// (padding 2·dilation − pad). Per (image, group) job: weights transformed straight into packed GEMM operands,
/// input tiles into V, 16 GEMMs into M, M into y. All three buffers live in the workspace: tile rows are split
/// where M would pass <see cref="Device.WinogradTileLimitFloats"/>, input channels where U and V would pass
/// <see cref="Device.WinogradLimitFloats"/> (their products add into M).
/// </summary>
public static unsafe partial class Conv2d
{
    private static bool WinogradFits(Device d, ConvGeometry g, Shapes s) =>
        d.WinogradMinChannels > 0 && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && s.Cg >= d.WinogradMinChannels && s.Kg >= d.WinogradMinChannels;

    // the input gradient's conv needs a padding of 2·dilation − pad ≥ 0
    private static bool WinogradFitsBackward(Device d, ConvGeometry g, Shapes s) =>
        WinogradFits(d, g, s) && g.PadH <= 2 * g.DilationH && g.PadW <= 2 * g.DilationW;

    private static void ForwardWinograd(Device d, Tensor x, float* w, Tensor y, ConvGeometry g, Shapes s)
    {
        ForwardWinogradConv(g, s).Run(d, HostAccess.Pointer(x.View), w, HostAccess.Pointer(y.View), false);
    }

    // x = s.X into y = s.Y
    private static WinogradConv ForwardWinogradConv(ConvGeometry g, Shapes s) =>
        new(s.X.N, g.Groups, s.Cg, s.Kg, s.X.H, s.X.W, s.Y.H, s.Y.W, g.PadH, g.PadW, g.DilationH, g.DilationW, (long)s.Cg * 9, 9, false);

    // dx = conv(dy, W turned), W read as (C/g, K/g) filters: filter (c, k) is W[k, c] reversed
    private static void BackwardInputWinograd(Device d, Tensor dy, float* w, Tensor dx, ConvGeometry g, Shapes s, bool accumulate)
    {
        BackwardInputWinogradConv(g, s).Run(d, HostAccess.Pointer(dy.View), w, HostAccess.Pointer(dx.View), accumulate);
    }

    // dy = s.Y into dx = s.X
    private static WinogradConv BackwardInputWinogradConv(ConvGeometry g, Shapes s) =>
        new(s.Y.N, g.Groups, s.Kg, s.Cg, s.Y.H, s.Y.W, s.X.H, s.X.W,
            (2 * g.DilationH) - g.PadH, (2 * g.DilationW) - g.PadW, g.DilationH, g.DilationW, 9, (long)s.Cg * 9, true);

    /// <summary>One Winograd conv call: cg inputs and kg outputs per group; filter (k, c) of a group at
    /// k·rowStride + c·colStride (taps reversed when flip).</summary>
    private readonly record struct WinogradConv(int N, int Groups, int Cg, int Kg, int H, int W, int P, int Q,
        int PadH, int PadW, int DilH, int DilW, long RowStride, long ColStride, bool Flip)
    {
        public void Run(Device d, float* x, float* w, float* y, bool accumulate)
        {
            var rows = new WinogradAxis(P, H, PadH, DilH);
            var cols = new WinogradAxis(Q, W, PadW, DilW);
            int jobs = N * Groups;
            (int workers, bool inner, int tileRows, int channels, long uStride, long vStride, long floats) = Sizing(d);
            const int E = Winograd.Positions;
            float* scratch = HostAccess.Pointer(d.Workspace(workers * floats));
            d.Synchronize();

            var self = this;
            bool avx512 = d.WinogradAvx512;
            HostParallel.For(workers, t =>
            {
                float* u = scratch + (t * floats), v = u + (E * uStride), m = v + (E * vStride);
                for (int job = t; job < jobs; job += workers)
                    self.Job(x, w, y, job, rows, cols, tileRows, channels, u, uStride, v, vStride, m, accumulate, inner, avx512);
            });
        }

        /// <summary>The workspace this call takes: every worker's U, V and M.</summary>
        public long WorkspaceFloats(Device d)
        {
            var z = Sizing(d);
            return z.Workers * z.Floats;
        }

        // workers; tile rows within M's limit, then input channels for U and V within theirs (each a worker's share);
        // U's and V's strides (a position's block) and one worker's floats
        private (int Workers, bool Inner, int TileRows, int Channels, long UStride, long VStride, long Floats) Sizing(Device d)
        {
            int th = new WinogradAxis(P, H, PadH, DilH).Tiles, tw = new WinogradAxis(Q, W, PadW, DilW).Tiles;
            int jobs = N * Groups, cores = Environment.ProcessorCount;
            (int workers, bool inner) = jobs >= cores ? (Math.Min(cores, jobs), false) : (1, true);
            int mPad = CpuGemm.PackedRows(Kg);
            const int E = Winograd.Positions;
            long mShare = d.WinogradTileLimitFloats / workers, share = d.WinogradLimitFloats / workers;
            int tileRows = (int)Math.Clamp(mShare / ((long)E * Kg * tw), 1, th);
            tileRows = Split(th, tileRows);
            int tc = tileRows * tw;
            long mFloats = (long)E * Kg * tc;
            int channels = (int)Math.Clamp(share / ((long)E * (mPad + tc)), 1, Cg);
            channels = Split(Cg, channels);
            long uStride = (long)mPad * channels, vStride = (long)channels * tc;
            long floats = (E * (uStride + vStride)) + mFloats + 16; // the output transform reads M 16 lanes at a time
            return (workers, inner, tileRows, channels, uStride, vStride, floats);
        }

        private void Job(float* x, float* w, float* y, int job, WinogradAxis rows, WinogradAxis cols, int tileRows, int channels,
            float* u, long uStride, float* v, long vStride, float* m, bool accumulate, bool inner, bool avx512)
        {
            int n = job / Groups, grp = job % Groups, tw = cols.Tiles;
            long xPlane = (long)H * W, yPlane = (long)P * Q;
            float* xg = x + ((((long)n * Groups) + grp) * Cg * xPlane);
            float* yg = y + ((((long)n * Groups) + grp) * Kg * yPlane);
            float* wg = w + ((long)grp * Kg * Cg * 9);
            bool weightsOnce = channels == Cg;
            if (weightsOnce)
                Winograd.Weights(wg, RowStride, ColStride, Flip, Kg, 0, Cg, u, uStride, inner, avx512);
            for (int rt0 = 0; rt0 < rows.Tiles; rt0 += tileRows)
            {
                int rt1 = Math.Min(rows.Tiles, rt0 + tileRows), tc = (rt1 - rt0) * tw;
                long mStride = (long)Kg * tc;
                for (int c0 = 0; c0 < Cg; c0 += channels)
                {
                    int cc = Math.Min(channels, Cg - c0);
                    if (!weightsOnce)
                        Winograd.Weights(wg, RowStride, ColStride, Flip, Kg, c0, cc, u, uStride, inner, avx512);
                    Winograd.Input(xg + (c0 * xPlane), xPlane, W, cc, rows, cols, rt0, rt1, v, vStride, tc, inner, avx512);
                    var products = new Products(Kg, tc, cc, u, uStride, v, vStride, c0 == 0 ? 0f : 1f, m, mStride);
                    HostParallel.For(Winograd.Positions, inner, products);
                }

                Winograd.Output(m, mStride, tc, Kg, rows, cols, rt0, rt1, yg, yPlane, accumulate, inner, avx512);
            }
        }

        // M_e (kg, tc) (+)= U_e (kg, cc) · V_e (cc, tc), U packed
        private readonly struct Products(int kg, int tc, int cc, float* u, long uStride, float* v, long vStride, float beta, float* m, long mStride)
            : IIndexedJob
        {
            public void Run(int e) => CpuGemm.RunPacked(kg, tc, cc, u + (e * uStride), v + (e * vStride), tc, beta, m + (e * mStride), tc);
        }

        // the same number of pieces, as even as they go: ceil(total / ceil(total / most))
        private static int Split(int total, int most)
        {
            int pieces = (total + most - 1) / most;
            return (total + pieces - 1) / pieces;
        }
    }
}
