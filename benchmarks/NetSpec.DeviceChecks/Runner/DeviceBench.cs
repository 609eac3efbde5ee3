using System.Diagnostics;
using NetSpec.Runtime;
using NetSpec.Runtime.Ops;

namespace NetSpec.DeviceChecks.Runner;

/// <summary>Times GEMM (cuBLAS or the host's), a strided batch of GEMMs, and a 3×3 conv with batch norm on one device.</summary>
public static class DeviceBench
{
    public static void Run(DeviceKind kind)
    {
        using Device d = Device.Create(kind.ToString().ToLowerInvariant());
        using var s = new BuffersScope(d);
        foreach (bool tf32 in new[] { false, true })
        {
            d.AllowTf32 = tf32;
            foreach ((int m, int n, int k) in new[] { (64, 14400, 576), (512, 3600, 4608), (4096, 4096, 4096) })
            {
                var a = s.Filled((long)m * k, 0.5f);
                var b = s.Filled((long)k * n, 0.25f);
                var c = s.Filled((long)m * n, 0f);
                double seconds = Time(d, () => d.Gemm.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n));
                Console.WriteLine($"{d.Name} GEMM m={m} n={n} k={k} tf32={tf32}: {2.0 * m * n * k / seconds / 1e9:F0} GFLOP/s ({seconds * 1e3:F2} ms)");
            }
        }

        // layer3's 3×3 forward of sanet-r50 at batch 8, 480×480: 8 GEMMs one after another, then one strided batch
        d.AllowTf32 = true;
        {
            const int images = 8, m = 256, n = 3600, k = 2304;
            var wts = s.Filled((long)m * k, 0.5f);
            var cols = s.Filled((long)images * k * n, 0.25f);
            var outs = s.Filled((long)images * m * n, 0f);
            double flops8 = 2.0 * images * m * n * k;
            double looped = Time(d, () =>
            {
                for (int i = 0; i < images; i++)
                    d.Gemm.Gemm(false, false, m, n, k, 1, wts, k, cols.SubView((long)i * k * n, (long)k * n), n, 0, outs.SubView((long)i * m * n, (long)m * n), n);
            });
            double batched = Time(d, () => d.Gemm.GemmStridedBatched(false, false, m, n, k, 1, wts, k, 0, cols, n, (long)k * n, 0, outs, n, (long)m * n, images));
            Console.WriteLine($"{d.Name} GEMM {images}× m={m} n={n} k={k} tf32=True: one at a time {looped * 1e3:F2} ms ({flops8 / looped / 1e9:F0} GFLOP/s), strided batch {batched * 1e3:F2} ms ({flops8 / batched / 1e9:F0} GFLOP/s)");
        }

        const int batch = 16, ch = 64, h = 120, w = 120;
        var g = new ConvGeometry(3, 3, 1, 1, 1, 1, 1, 1, 1);
        Tensor x = s.Tensor(batch, ch, h, w, 0.1f), y = s.Tensor(batch, ch, h, w, 0), dx = s.Tensor(batch, ch, h, w, 0);
        var wv = s.Filled(ch * ch * 9, 0.01f);
        var dw = s.Filled(ch * ch * 9, 0f);
        var st = Enumerable.Range(0, 4).Select(_ => s.Filled(ch, 1f)).ToArray();
        var counter = s.Filled(1, 0f);
        double flops = 2.0 * batch * ch * h * w * ch * 9;
        long before = d.KernelRequests;
        Conv2d.Forward(d, x, wv, default, y, g);
        Conv2d.BackwardInput(d, y, wv, dx, g, false);
        Conv2d.BackwardParams(d, x, y, dw, default, g);
        Console.WriteLine($"{d.Name} conv3x3 forward + backward at batch {batch}: {d.KernelRequests - before} kernel launches besides cuBLAS");
        Report("conv3x3 forward", Time(d, () => Conv2d.Forward(d, x, wv, default, y, g)), flops);
        Report("conv3x3 backward input", Time(d, () => Conv2d.BackwardInput(d, y, wv, dx, g, false)), flops);
        Report("conv3x3 backward params", Time(d, () => Conv2d.BackwardParams(d, x, y, dw, default, g)), flops);
        Report("bn statistics", Time(d, () => BatchNorm.Statistics(d, x, st[0], st[1], st[2], st[3], counter, 0.1f, 1e-5f, true)), 0);
        Report("bn apply+relu", Time(d, () => BatchNorm.Apply(d, x, st[0], st[1], st[2], st[3], y, true)), 0);
        Report("bn backward", Time(d, () => BatchNorm.Backward(d, x, y, y, st[0], st[1], st[2], dx, st[3], st[3], true, false)), 0);

        void Report(string what, double seconds, double work) =>
            Console.WriteLine($"{d.Name} {what} x ({batch},{ch},{h},{w}): {seconds * 1e3:F2} ms" + (work > 0 ? $", {work / seconds / 1e9:F0} GFLOP/s" : ""));
    }

    private static double Time(Device d, Action run)
    {
        run();
        d.Synchronize();
        int reps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 0.5 || reps < 3)
        {
            run();
            reps++;
        }

        d.Synchronize();
        return clock.Elapsed.TotalSeconds / reps;
    }
}
