using System.Numerics.Tensors;
using ILGPU;
using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Convolution as host code (the CPU). A batch with at least as many (image, group) jobs as cores spreads
/// the jobs over the cores in a fixed order, each worker with its own columns and single-threaded GEMMs:
/// small per-image products then cost no fork/join each, and im2col runs beside the GEMMs. With fewer
/// jobs (batch 1) one worker takes them in turn and its GEMMs and im2col use all cores.
/// Columns are unfolded a chunk at a time, at most <see cref="Device.ColumnLimitFloats"/> for all workers
/// together, so that a chunk is still in cache when the GEMM reads it and large convs need no large buffer
/// (a 3×3 conv over 2048 channels at 30×30 would unfold 66 MB). Chunks split the input channels first: a
/// chunk of channels is a slice of the GEMM's K (forward, weight gradient) or M (input gradient), so no
/// weights are packed twice and no chunks overlap in dx. Where even <see cref="Device.ColumnMinK"/> rows of
/// K over the whole image pass the limit (large images, few channels: small weights), output rows are split too.
/// </summary>
public static unsafe partial class Conv2d
{
    // jobs side by side, or one worker whose GEMMs and im2col are parallel inside
    private static (int Workers, bool Inner) Plan(int images, ConvGeometry g)
    {
        int jobs = images * g.Groups, cores = Environment.ProcessorCount;
        return jobs >= cores ? (Math.Min(cores, jobs), false) : (1, true);
    }

    // the workers and each one's column chunk (no columns for a pointwise conv) over the output (P, Q) = s.Y's map;
    // oneWorker: a single worker whose GEMMs and im2col are parallel inside
    private static (int Workers, bool Inner, int Channels, int Rows, long ColFloats) HostColumns(Device d, Shapes s, ConvGeometry g, bool oneWorker = false)
    {
        (int workers, bool inner) = oneWorker ? (1, true) : Plan(s.X.N, g);
        (int channels, int rows) = Chunk(d, s, g, s.Y.H, s.Y.W, workers);
        long colFloats = g.IsPointwise ? 0 : (long)channels * g.KernelH * g.KernelW * rows * s.Y.W;
        return (workers, inner, channels, rows, colFloats);
    }

    // the weight gradient's plan: workers side by side, each summing its images into its own dW (all but the first a
    // partial in the workspace), unless those partials would pass Device.WeightGradientPartialsLimitFloats (a wide conv
    // on many cores: 63 copies of head.fcn.0's 9.4 M weights on 64 cores); then one worker, parallel inside
    private static (int Workers, bool Inner, int Channels, int Rows, long ColFloats) HostWeightColumns(Device d, Shapes s, ConvGeometry g)
    {
        var plan = HostColumns(d, s, g);
        return (plan.Workers - 1) * s.WeightLength <= d.WeightGradientPartialsLimitFloats ? plan : HostColumns(d, s, g, oneWorker: true);
    }

    // the weight gradient's workspace: every worker's columns, then a partial dW for each worker but the first
    private static long BackwardWeightsHostFloats(Device d, Shapes s, ConvGeometry g)
    {
        (int workers, _, _, _, long colFloats) = HostWeightColumns(d, s, g);
        return (workers * colFloats) + ((workers - 1) * s.WeightLength);
    }

    // a column chunk: input channels (a slice of the GEMM's K, or M for dx) × output rows, within the
    // workers' share of the limit; channels first, down to a K of Device.ColumnMinK, then rows as well
    private static (int Channels, int Rows) Chunk(Device d, Shapes s, ConvGeometry g, int p, int q, int workers)
    {
        long share = d.ColumnLimitFloats / workers, rs = (long)g.KernelH * g.KernelW;
        int channels = (int)Math.Clamp(share / (rs * p * q), 1, s.Cg);
        int fewest = (int)Math.Clamp((d.ColumnMinK + rs - 1) / rs, 1, s.Cg);
        if (channels >= fewest)
            return (channels, p);
        return (fewest, (int)Math.Clamp(share / (fewest * rs * q), 1, p));
    }

    // y[n, group] = Σ_chunks W_g[:, chunk] · col(x[n, group, chunk])
    private static void ForwardHost(Device d, Tensor x, ArrayView<float> w, Tensor y, ConvGeometry g, Shapes s)
    {
        if (WinogradFits(d, g, s))
        {
            ForwardWinograd(d, x, HostAccess.Pointer(w), y, g, s);
            return;
        }

        (int workers, bool inner, int channels, int rows, long colFloats) = HostColumns(d, s, g);
        int jobs = x.N * g.Groups, rs = g.KernelH * g.KernelW;
        float* cols = g.IsPointwise ? null : HostAccess.Pointer(d.Workspace(workers * colFloats));
        d.Synchronize();
        float* xp = HostAccess.Pointer(x.View), yp = HostAccess.Pointer(y.View), wp = HostAccess.Pointer(w);
        HostParallel.For(workers, t =>
        {
            float* col = cols + (t * colFloats);
            for (int job = t; job < jobs; job += workers)
            {
                int n = job / g.Groups, grp = job % g.Groups;
                float* xg = xp + s.XOffset(n, grp), yg = yp + s.YOffset(n, grp), wg = wp + ((long)grp * s.WeightGroupLength);
                if (g.IsPointwise)
                {
                    CpuGemm.Run(false, false, s.Kg, s.PQ, s.Crs, 1f, wg, s.Crs, xg, s.PQ, 0f, yg, s.PQ, inner);
                    continue;
                }

                for (int op0 = 0; op0 < y.H; op0 += rows)
                {
                    int op1 = Math.Min(y.H, op0 + rows), width = (op1 - op0) * y.W;
                    for (int c0 = 0; c0 < s.Cg; c0 += channels)
                    {
                        int cc = Math.Min(channels, s.Cg - c0);
                        Im2Col.UnfoldHost(xg + ((long)c0 * x.Spatial), col, cc, x.H, x.W, y.W, g, op0, op1, inner);
                        CpuGemm.Run(false, false, s.Kg, width, cc * rs, 1f, wg + ((long)c0 * rs), s.Crs, col, width,
                            c0 == 0 ? 0f : 1f, yg + ((long)op0 * y.W), s.PQ, inner);
                    }
                }
            }
        });
    }

    // dcol[chunk] = W_g[:, chunk]ᵀ · dy[n, group]; dx[n, group, chunk] (+)= fold(dcol[chunk])
    private static void BackwardInputHost(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, Shapes s, bool accumulate)
    {
        if (WinogradFitsBackward(d, g, s))
        {
            BackwardInputWinograd(d, dy, HostAccess.Pointer(w), dx, g, s, accumulate);
            return;
        }

        (int workers, bool inner, int channels, int rows, long colFloats) = HostColumns(d, s, g);
        int jobs = dx.N * g.Groups, rs = g.KernelH * g.KernelW;
        float* cols = g.IsPointwise ? null : HostAccess.Pointer(d.Workspace(workers * colFloats));
        d.Synchronize();
        float* dyp = HostAccess.Pointer(dy.View), dxp = HostAccess.Pointer(dx.View), wp = HostAccess.Pointer(w);
        HostParallel.For(workers, t =>
        {
            float* col = cols + (t * colFloats);
            for (int job = t; job < jobs; job += workers)
            {
                int n = job / g.Groups, grp = job % g.Groups;
                float* wg = wp + ((long)grp * s.WeightGroupLength), dyg = dyp + s.YOffset(n, grp), dxg = dxp + s.XOffset(n, grp);
                if (g.IsPointwise)
                {
                    CpuGemm.Run(true, false, s.Crs, s.PQ, s.Kg, 1f, wg, s.Crs, dyg, s.PQ, accumulate ? 1f : 0f, dxg, s.PQ, inner);
                    continue;
                }

                // row chunks overlap in dx (the kernel's reach): clear once, then every chunk adds
                bool rowChunks = rows < dy.H;
                if (rowChunks && !accumulate)
                    new Span<float>(dxg, checked((int)s.XGroupLength)).Clear();
                for (int op0 = 0; op0 < dy.H; op0 += rows)
                {
                    int op1 = Math.Min(dy.H, op0 + rows), width = (op1 - op0) * dy.W;
                    for (int c0 = 0; c0 < s.Cg; c0 += channels)
                    {
                        int cc = Math.Min(channels, s.Cg - c0);
                        CpuGemm.Run(true, false, cc * rs, width, s.Kg, 1f, wg + ((long)c0 * rs), s.Crs, dyg + ((long)op0 * dy.W), s.PQ, 0f, col, width, inner);
                        Im2Col.FoldHost(col, dxg + ((long)c0 * dx.Spatial), cc, dx.H, dx.W, dy.W, g, op0, op1, accumulate || rowChunks, inner);
                    }
                }
            }
        });
    }

    // dW[:, chunk] = Σ_n dy[n] · col(x[n], chunk)ᵀ: worker 0 sums into dw, the others into their own
    // partial dW, added at the end in worker order (deterministic)
    private static void BackwardWeightsHost(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ConvGeometry g, Shapes s)
    {
        (int workers, bool inner, int channels, int rows, long colFloats) = HostWeightColumns(d, s, g);
        int jobs = x.N * g.Groups, rs = g.KernelH * g.KernelW;
        float* scratch = HostAccess.Pointer(d.Workspace(BackwardWeightsHostFloats(d, s, g)));
        d.Synchronize();
        float* xp = HostAccess.Pointer(x.View), dyp = HostAccess.Pointer(dy.View), dwp = HostAccess.Pointer(dw);
        float* partials = scratch + (workers * colFloats);
        HostParallel.For(workers, t =>
        {
            float* col = scratch + (t * colFloats);
            float* mine = t == 0 ? dwp : partials + ((t - 1) * s.WeightLength);
            new Span<float>(mine, (int)s.WeightLength).Clear(); // every GEMM below adds
            for (int job = t; job < jobs; job += workers)
            {
                int n = job / g.Groups, grp = job % g.Groups;
                float* xg = xp + s.XOffset(n, grp), dyg = dyp + s.YOffset(n, grp), dwg = mine + ((long)grp * s.WeightGroupLength);
                if (g.IsPointwise)
                {
                    CpuGemm.Run(false, true, s.Kg, s.Crs, s.PQ, 1f, dyg, s.PQ, xg, s.PQ, 1f, dwg, s.Crs, inner);
                    continue;
                }

                for (int op0 = 0; op0 < dy.H; op0 += rows)
                {
                    int op1 = Math.Min(dy.H, op0 + rows), width = (op1 - op0) * dy.W;
                    for (int c0 = 0; c0 < s.Cg; c0 += channels)
                    {
                        int cc = Math.Min(channels, s.Cg - c0);
                        Im2Col.UnfoldHost(xg + ((long)c0 * x.Spatial), col, cc, x.H, x.W, dy.W, g, op0, op1, inner);
                        CpuGemm.Run(false, true, s.Kg, cc * rs, width, 1f, dyg + ((long)op0 * dy.W), s.PQ, col, width, 1f,
                            dwg + ((long)c0 * rs), s.Crs, inner);
                    }
                }
            }
        });
        for (int t = 1; t < workers; t++)
        {
            var total = new Span<float>(dwp, (int)s.WeightLength);
            TensorPrimitives.Add(total, new ReadOnlySpan<float>(partials + ((t - 1) * s.WeightLength), (int)s.WeightLength), total);
        }
    }
}
