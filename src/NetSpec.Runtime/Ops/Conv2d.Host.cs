using System.Numerics.Tensors;
using ILGPU;
using NetSpec.Runtime.Gemm;

namespace NetSpec.Runtime.Ops;

/// <summary>
/// Convolution as host code when a batch has at least as many (image, group) jobs as cores: the jobs are
/// spread over the cores in a fixed order, each worker with its own columns and single-threaded GEMMs.
/// Small per-image products then cost no fork/join each, and im2col runs beside the GEMMs. A batch with
/// fewer jobs than cores (batch 1) takes the per-image path, whose GEMMs use all cores.
/// </summary>
public static unsafe partial class Conv2d
{
    private static bool PerImageOnHost(Device d, Tensor x, ConvGeometry g) =>
        d.HostCode && (long)x.N * g.Groups >= Environment.ProcessorCount;

    private static int Workers(Tensor x, ConvGeometry g) => Math.Min(Environment.ProcessorCount, x.N * g.Groups);

    // y[n, group] = W_g · col(x[n, group]), jobs (n, group) over the workers
    private static void ForwardHost(Device d, Tensor x, ArrayView<float> w, Tensor y, ConvGeometry g, Shapes s)
    {
        int workers = Workers(x, g), jobs = x.N * g.Groups;
        float* cols = g.IsPointwise ? null : HostAccess.Pointer(d.Workspace(workers * s.ColLength));
        d.Synchronize();
        float* xp = HostAccess.Pointer(x.View), yp = HostAccess.Pointer(y.View), wp = HostAccess.Pointer(w);
        HostParallel.For(workers, t =>
        {
            float* col = cols + (t * s.ColLength);
            for (int job = t; job < jobs; job += workers)
            {
                int n = job / g.Groups, grp = job % g.Groups;
                float* xg = xp + s.XOffset(n, grp), colg = xg;
                if (!g.IsPointwise)
                {
                    Im2Col.UnfoldHost(xg, col, s.Cg, x.H, x.W, y.H, y.W, g, parallel: false);
                    colg = col;
                }

                CpuGemm.Run(false, false, s.Kg, s.PQ, s.Crs, 1f, wp + ((long)grp * s.WeightGroupLength), s.Crs, colg, s.PQ, 0f,
                    yp + s.YOffset(n, grp), s.PQ, parallel: false);
            }
        });
    }

    // dcol = W_gᵀ · dy[n, group]; dx[n, group] (+)= fold(dcol)
    private static void BackwardInputHost(Device d, Tensor dy, ArrayView<float> w, Tensor dx, ConvGeometry g, Shapes s, bool accumulate)
    {
        int workers = Workers(dx, g), jobs = dx.N * g.Groups;
        float* cols = g.IsPointwise ? null : HostAccess.Pointer(d.Workspace(workers * s.ColLength));
        d.Synchronize();
        float* dyp = HostAccess.Pointer(dy.View), dxp = HostAccess.Pointer(dx.View), wp = HostAccess.Pointer(w);
        HostParallel.For(workers, t =>
        {
            float* col = cols + (t * s.ColLength);
            for (int job = t; job < jobs; job += workers)
            {
                int n = job / g.Groups, grp = job % g.Groups;
                float* wg = wp + ((long)grp * s.WeightGroupLength), dyg = dyp + s.YOffset(n, grp), dxg = dxp + s.XOffset(n, grp);
                if (g.IsPointwise)
                {
                    CpuGemm.Run(true, false, s.Crs, s.PQ, s.Kg, 1f, wg, s.Crs, dyg, s.PQ, accumulate ? 1f : 0f, dxg, s.PQ, parallel: false);
                    continue;
                }

                CpuGemm.Run(true, false, s.Crs, s.PQ, s.Kg, 1f, wg, s.Crs, dyg, s.PQ, 0f, col, s.PQ, parallel: false);
                Im2Col.FoldHost(col, dxg, s.Cg, dx.H, dx.W, dy.H, dy.W, g, accumulate, parallel: false);
            }
        });
    }

    // dW = Σ_n dy[n] · col(x[n])ᵀ: worker 0 sums into dw, the others into their own partial dW, added at the end
    // in worker order (deterministic)
    private static void BackwardWeightsHost(Device d, Tensor x, Tensor dy, ArrayView<float> dw, ConvGeometry g, Shapes s)
    {
        int workers = Workers(x, g), jobs = x.N * g.Groups;
        long colFloats = g.IsPointwise ? 0 : workers * s.ColLength;
        float* scratch = HostAccess.Pointer(d.Workspace(colFloats + ((workers - 1) * s.WeightLength)));
        d.Synchronize();
        float* xp = HostAccess.Pointer(x.View), dyp = HostAccess.Pointer(dy.View), dwp = HostAccess.Pointer(dw);
        HostParallel.For(workers, t =>
        {
            float* col = scratch + (t * s.ColLength);
            float* mine = t == 0 ? dwp : scratch + colFloats + ((t - 1) * s.WeightLength);
            new Span<float>(mine, (int)s.WeightLength).Clear(); // every GEMM below adds
            for (int job = t; job < jobs; job += workers)
            {
                int n = job / g.Groups, grp = job % g.Groups;
                float* xg = xp + s.XOffset(n, grp), colg = xg;
                if (!g.IsPointwise)
                {
                    Im2Col.UnfoldHost(xg, col, s.Cg, x.H, x.W, dy.H, dy.W, g, parallel: false);
                    colg = col;
                }

                CpuGemm.Run(false, true, s.Kg, s.Crs, s.PQ, 1f, dyp + s.YOffset(n, grp), s.PQ, colg, s.PQ, 1f,
                    mine + ((long)grp * s.WeightGroupLength), s.Crs, parallel: false);
            }
        });
        for (int t = 1; t < workers; t++)
        {
            var total = new Span<float>(dwp, (int)s.WeightLength);
            TensorPrimitives.Add(total, new ReadOnlySpan<float>(scratch + colFloats + ((t - 1) * s.WeightLength), (int)s.WeightLength), total);
        }
    }
}
