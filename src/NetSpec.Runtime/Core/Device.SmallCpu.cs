using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;

namespace NetSpec.Runtime;

public sealed partial class Device
{
    private static readonly Dictionary<int, Accelerator> SmallCpus = new();

    /// <summary>
    /// Tests: a CPU accelerator that emulates <paramref name="threads"/> GPU threads in all (one group of that many, one
    /// multiprocessor) instead of the default's 16. ILGPU's CPU runtime runs every emulated thread as an OS thread that
    /// takes part in every launch and meets the others at every group barrier, so on a machine with few cores a whole
    /// network through the kernels spends most of its time waiting for threads it has no cores for. The kernels' code is
    /// the same for any power-of-two group; grid-stride launches take fewer threads, which the kernels loop over.
    /// Opened once per size and kept, like every accelerator (see the remarks on <see cref="Device"/>).
    /// </summary>
    internal static Device CreateCpu(int threads)
    {
        if (threads < 1 || threads > 64 || (threads & (threads - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "a power of two from 1 to 64");
        lock (OpenLock)
        {
            if (!SmallCpus.TryGetValue(threads, out Accelerator? accelerator))
            {
                var cpu = new CPUDevice(numThreadsPerWarp: threads, numWarpsPerMultiprocessor: 1, numMultiprocessors: 1);
                Context context = Context.Create(builder => builder.CPU(cpu).EnableAlgorithms().Math(MathMode.Fast32BitOnly));
                accelerator = cpu.CreateAccelerator(context);
                SmallCpus[threads] = accelerator;
            }

            return new Device(accelerator, DeviceKind.Cpu);
        }
    }
}
