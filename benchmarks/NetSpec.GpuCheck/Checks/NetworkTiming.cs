using System.Diagnostics;
using ILGPU.Runtime;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.GpuCheck;

/// <summary>
/// Times a generated network: eval forward, and a training step (forward, losses, backward, SGD update), at one batch and size.
/// Median of <c>repeats</c> runs after two warm-ups; each timing ends with a device synchronisation.
/// </summary>
internal static class NetworkTiming
{
    public static int Run(string deviceName, string spec, int batch, int size, int repeats)
    {
        using Device device = Device.Create(deviceName);
        using INetwork network = Create(spec, device);
        network.InitializeParameters(seed: 1);
        network.Prepare(batch, size, size, training: true);
        FillInputs(network, seed: 2);

        double forward = Median(repeats, () => network.Forward(training: false), device);
        using var sgd = new NetSpec.Runtime.Training.Sgd(device, network.Parameters);
        double train = Median(repeats, () =>
        {
            network.Forward(training: true);
            network.Backward();
            sgd.Step(0.001f);
        }, device);
        LossValues loss = network.ReadLosses();

        Console.WriteLine($"| case | device | ms (median of {repeats}) | images/s |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| {spec} forward (eval), batch {batch}, {size}x{size} | {device.Name} | {forward:F1} | {batch * 1000 / forward:F1} |");
        Console.WriteLine($"| {spec} training step (forward, losses, backward, SGD), batch {batch}, {size}x{size} | {device.Name} | {train:F1} | {batch * 1000 / train:F1} |");
        Console.WriteLine($"planned peak bytes (training): {network.PlannedPeakBytes:N0}; last loss {loss.Total:F4} ({string.Join(", ", loss.Terms.Select(t => $"{t.Key} {t.Value:F4}"))})");
        return float.IsFinite(loss.Total) ? 0 : 1;
    }

    private static INetwork Create(string spec, Device device)
    {
        string className = string.Concat(spec.Split('-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        Type type = typeof(NetworkTiming).Assembly.GetType($"NetSpec.Networks.{className}")
            ?? throw new ArgumentException($"no generated network '{className}' for spec '{spec}'");
        return (INetwork)Activator.CreateInstance(type, device)!;
    }

    private static void FillInputs(INetwork network, int seed)
    {
        var random = new Random(seed);
        float[] image = new float[network.Image.Length];
        for (int i = 0; i < image.Length; i++)
            image[i] = (float)(random.NextDouble() * 2 - 1);
        int[] labels = new int[network.Labels.Length];
        for (int i = 0; i < labels.Length; i++)
            labels[i] = random.Next(10) == 0 ? network.IgnoreLabel : random.Next(network.NumClasses);
        network.Image.View.CopyFromCPU(image);
        network.Labels.View.CopyFromCPU(labels);
    }

    private static double Median(int repeats, Action step, Device device)
    {
        for (int i = 0; i < 2; i++)
            step();
        device.Synchronize();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            step();
            device.Synchronize();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
