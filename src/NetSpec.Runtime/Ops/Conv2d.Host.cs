using System.Numerics.Tensors;
using ILGPU;
using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Convolution as host code (the CPU). A batch with at least as many (image, group) jobs as cores spreads
/// the jobs over the cores in a fixed order, each worker with its own columns and single-threaded GEMMs:
/// small per-image products then cost no fork/join each, and im2col runs beside the GEMMs. With fewer
/// jobs (batch 1) one worker takes them in turn and its GEMMs and im2col use all cores.
/// Columns are unfolded in chunks of output rows when a whole image's would exceed
/// <see cref="Device.ColumnLimitFloats"/> (a 3×3 conv over 2048 channels at 60×60 would need 265 MB).
/// </summary>
public static unsafe partial class Conv2d
{
    // jobs side by side, or one worker whose GEMMs and im2col are parallel inside
    private static (int Workers, bool Inner) Plan(Tensor x, ConvGeometry g)
    {
        int jobs = x.N * g.Groups, cores = Environment.ProcessorCount;
        return jobs >= cores ? (Math.Min(cores, jobs), false) : (1, true);
    }

    // output rows per column chunk: the whole image unless the workers' columns would pass the limit
    private static int ChunkRows(Device d, Shapes s, int p, int q, int workers) =>
        (int)Math.Clamp(d.ColumnLimitFloats / workers / ((long)s.Crs * q), 1, p);

    // y[n, group] = W_g · col(x[n, group]), a chunk of output rows at a time
    private static void ForwardHost(Device d, Tensor x, ArrayView<float> w, Tensor y, ConvGeometry g, Shapes s)
    {
        (int workers, bool inner) = Plan(x, g);
        int jobs = x.N * g.Groups, rows = ChunkRows(d, s, y.H, y.W, workers);
        long colFloats = (long)s.Crs * rows * y.W;
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
                    Im2Col.UnfoldHost(xg, col, s.Cg, x.H, x.W, y.H, y.W, g, inner, op0, op1);
                    CpuGemm.Run(false, false, s.Kg, width, s.Crs, 1f, wg, s.Crs, col, width, 0f, yg + ((long)op0 * y.W), s.PQ, inner);
                }
            }
        });
    }

    // dcol = W_gᵀ · dy[n, group]; dx[n, group] (+)= fold(dcol), a chunk of output rows at a time
    private static void BackwardInputHost(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, Shapes s, bool accumulate)
    {
        (int workers, bool inner) = Plan(dx, g);
        int jobs = dx.N * g.Groups, rows = ChunkRows(d, s, dy.H, dy.W, workers);
        long colFloats = (long)s.Crs * rows * dy.W;
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

                // chunks overlap in dx (the kernel's reach): clear once, then every chunk adds
                bool chunked = rows < dy.H;
                if (chunked && !accumulate)
                    new Span<float>(dxg, checked((int)s.XGroupLength)).Clear();
                for (int op0 = 0; op0 < dy.H; op0 += rows)
                {
                    int op1 = Math.Min(dy.H, op0 + rows), width = (op1 - op0) * dy.W;
                    CpuGemm.Run(true, false, s.Crs, width, s.Kg, 1f, wg, s.Crs, dyg + ((long)op0 * dy.W), s.PQ, 0f, col, width, inner);
                    Im2Col.FoldHost(col, dxg, s.Cg, dx.H, dx.W, dy.H, dy.W, g, accumulate || chunked, inner, op0, op1);
                }
            }
        });
    }

    // dW = Σ_n Σ_chunks dy[n, chunk] · col(x[n], chunk)ᵀ: worker 0 sums into dw, the others into their own
    // partial dW, added at the end in worker order (deterministic)
    private static void BackwardWeightsHost(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ConvGeometry g, Shapes s)
    {
        (int workers, bool inner) = Plan(x, g);
        int jobs = x.N * g.Groups, rows = ChunkRows(d, s, dy.H, dy.W, workers);
        long colFloats = g.IsPointwise ? 0 : (long)s.Crs * rows * dy.W;
        float* scratch = HostAccess.Pointer(d.Workspace((workers * colFloats) + ((workers - 1) * s.WeightLength)));
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
                    Im2Col.UnfoldHost(xg, col, s.Cg, x.H, x.W, dy.H, dy.W, g, inner, op0, op1);
                    CpuGemm.Run(false, true, s.Kg, s.Crs, width, 1f, dyg + ((long)op0 * dy.W), s.PQ, col, width, 1f, dwg, s.Crs, inner);
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
