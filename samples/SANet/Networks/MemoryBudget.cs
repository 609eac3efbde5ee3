using System.Globalization;
using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Reports;
using NetSpec.Runtime;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// Checks, before a network is created, that it can train at the chosen size (batch norm has two values a channel) and that its planned memory at the chosen size fits the device:
/// the sum of <see cref="PlannedMemory"/>'s terms (parameters, gradients and momentum when training, the planned activation
/// arena from the compiler's plan, the conv workspace, and on the host the GEMM buffers, a checkpoint read and the process).
/// Too much is a <see cref="MemoryBudgetException"/> naming the options, the terms and the largest tensors, instead of an
/// allocation failure (or the OS killing the process) that names nothing.
/// </summary>
public static class MemoryBudget
{
    /// <summary>
    /// Checks the compiled spec of <paramref name="specName"/>: the one the network about to be created was generated from
    /// (a network registered by a test has none and is not checked).
    /// </summary>
    public static void Check(string specName, Device device, int batch, int size, bool training, string options)
    {
        if (EmbeddedSpecs.Find(specName) is { } spec)
            Check(spec, device, batch, size, training, Available(device), options);
    }

    /// <summary>Checks <paramref name="spec"/> against <paramref name="available"/> bytes, with <paramref name="device"/>'s runtime sizing.</summary>
    public static void Check(ExpandedSpec spec, Device device, int batch, int size, bool training, long available, string options)
    {
        SpecReport report;
        List<MemoryTerm> terms;
        try
        {
            if (SpecCompiler.Compile(spec).Network is not { } network)
                return; // does not compile: not a network of this build, nothing to create
            report = SpecReport.Build(network, batch, size, size);
            if (report.Rows.FirstOrDefault(r => r.Shape.Any(d => d < 1)) is { } empty)
                throw new MemoryBudgetException($"{options}: {spec.Name}'s {empty.Name} would be {string.Join("×", empty.Shape)}, a feature map with no pixels (input too small)");
            if (training)
                CheckBatchNorm(report, options);
            terms = PlannedMemory.Terms(network, device, batch, size, training);
        }
        catch (OverflowException)
        {
            throw new MemoryBudgetException($"{options}: {spec.Name}'s tensors at {batch}×3×{size}×{size} overflow 64-bit sizes");
        }
        catch (ArgumentException e)
        {
            throw new MemoryBudgetException($"{options}: {spec.Name} at {batch}×3×{size}×{size}: {e.Message}"); // a conv the runtime cannot size
        }

        long needed = terms.Sum(t => t.Bytes);
        if (needed <= available)
            return;
        var largest = report.Rows.OrderByDescending(r => r.Shape.Aggregate(1L, (a, d) => a * d)).Take(3)
            .Select(r => $"{r.Name} {string.Join("×", r.Shape)} ({Size(r.Shape.Aggregate(4L, (a, d) => a * d))})");
        ReportRow heaviest = report.Rows.OrderByDescending(r => r.Params).First();
        throw new MemoryBudgetException(
            $"{options}: {spec.Name} {(training ? "training" : "inference")} at {batch}×3×{size}×{size} plans {Size(needed)} " +
            $"({string.Join(", ", terms.Select(t => $"{t.Name} {Size(t.Bytes)}"))}), " +
            $"more than the {Size(available)} the device has; largest tensors: {string.Join(", ", largest)}; " +
            $"most parameters: {heaviest.Name} ({heaviest.Params.ToString("N0", CultureInfo.InvariantCulture)})");
    }

    /// <summary>
    /// Batch norm in training divides by each channel's variance over N×H×W values: with one value (batch 1 and a
    /// 1×1 map, e.g. after a global pool) there is none, and the runtime stops mid-step (src/NetSpec.Runtime/Ops/BatchNorm.cs).
    /// </summary>
    private static void CheckBatchNorm(SpecReport report, string options)
    {
        ReportRow? single = report.Rows.FirstOrDefault(r => r.Op == "batchnorm" && r.Shape.Length == 4 && r.Shape[0] * r.Shape[2] * r.Shape[3] <= 1);
        if (single is not null)
        {
            throw new MemoryBudgetException(
                $"{options}: {report.SpecName}'s batch norm {single.Name} would see {string.Join("×", single.Shape)} in training, " +
                "one value per channel (no variance); use a larger --batch or --crop");
        }
    }

    /// <summary>What the device can hold: GPU memory, or on the CPU what the GC may use (physical memory or the container's limit).</summary>
    public static long Available(Device device) =>
        device.Kind == DeviceKind.Cpu ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : device.Accelerator.MemorySize;

    internal static string Size(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB");
}

/// <summary>A network that cannot run at the chosen size (memory, batch norm); the message names the options and the tensors.</summary>
public sealed class MemoryBudgetException(string message) : Exception(message);
