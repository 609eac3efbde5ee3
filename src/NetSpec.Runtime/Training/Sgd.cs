using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Training;

/// <summary>
/// SGD with momentum, PyTorch semantics: g' = g + wd·w (only where Parameter.WeightDecay);
/// v = μ·v + g'; w −= lr·LrMult·v. Momentum buffers are kept per parameter name and can be read and
/// written from the host for checkpoints.
/// </summary>
public sealed class Sgd : IDisposable
{
    private readonly Device device;
    private readonly List<Parameter> weights;
    private readonly Dictionary<string, MemoryBuffer1D<float, Stride1D.Dense>> momentum = new();

    public Sgd(Device device, IEnumerable<Parameter> parameters, float momentum = 0.9f, float weightDecay = 1e-4f)
    {
        this.device = device;
        weights = parameters.Where(p => p.Kind == ParameterKind.Weight).ToList();
        Momentum = momentum;
        WeightDecay = weightDecay;
        foreach (Parameter p in weights)
        {
            if (this.momentum.ContainsKey(p.Name))
                throw new ArgumentException($"parameter name {p.Name} appears twice");
            MemoryBuffer1D<float, Stride1D.Dense> v = device.Accelerator.Allocate1D<float>(p.Length);
            DeviceData.Zero<float>(v.View);
            this.momentum[p.Name] = v;
        }

        device.Synchronize();
    }

    public float Momentum { get; }

    public float WeightDecay { get; }

    /// <summary>Names of the parameters that have a momentum buffer (the trained weights).</summary>
    public IReadOnlyList<string> StateNames => weights.Select(p => p.Name).ToList();

    /// <summary>One update of every weight with learning rate <paramref name="lr"/> (times its LrMult).</summary>
    public void Step(float lr)
    {
        if (device.HostCode)
        {
            device.Synchronize();
            HostParallel.For(weights.Count, i =>
            {
                Parameter p = weights[i];
                StepHost(p, momentum[p.Name].View, lr * p.LrMult, Momentum, p.WeightDecay ? WeightDecay : 0f);
            });
            return;
        }

        var kernel = device.Kernel("sgd.step", StepKernel);
        foreach (Parameter p in weights)
        {
            int threads = device.GridStrideThreads(p.Length);
            kernel(threads, p.Value.View, p.Grad!.View, momentum[p.Name].View, p.Length, lr * p.LrMult, Momentum, p.WeightDecay ? WeightDecay : 0f, threads);
        }
    }

    public float[] ReadMomentum(string name) => DeviceData.Download<float>(Buffer(name).View);

    public void WriteMomentum(string name, ReadOnlySpan<float> values) => DeviceData.Upload(Buffer(name).View, values);

    public void Dispose()
    {
        foreach (MemoryBuffer1D<float, Stride1D.Dense> v in momentum.Values)
            v.Dispose();
    }

    private MemoryBuffer1D<float, Stride1D.Dense> Buffer(string name) =>
        momentum.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no momentum buffer for '{name}'");

    // the kernel's update, a vector of elements at a time, on the host
    private static unsafe void StepHost(Parameter p, ArrayView<float> velocity, float lr, float mu, float wd)
    {
        float* w = HostAccess.Pointer<float>(p.Value.View), g = HostAccess.Pointer<float>(p.Grad!.View), v = HostAccess.Pointer(velocity);
        long n = p.Length, i = 0;
        int vc = Vector<float>.Count;
        Vector<float> vlr = new(lr), vmu = new(mu), vwd = new(wd);
        for (; i <= n - vc; i += vc)
        {
            Vector<float> grad = *(Vector<float>*)(g + i) + (vwd * *(Vector<float>*)(w + i));
            Vector<float> vel = (vmu * *(Vector<float>*)(v + i)) + grad;
            *(Vector<float>*)(v + i) = vel;
            *(Vector<float>*)(w + i) -= vlr * vel;
        }

        for (; i < n; i++)
        {
            float grad = g[i] + (wd * w[i]);
            float vel = (mu * v[i]) + grad;
            v[i] = vel;
            w[i] -= lr * vel;
        }
    }

    internal static void StepKernel(Index1D index, ArrayView<float> w, ArrayView<float> g, ArrayView<float> v, long n, float lr, float mu, float wd, int stride)
    {
        for (long i = index; i < n; i += stride)
        {
            float grad = g[i] + (wd * w[i]);
            float vel = (mu * v[i]) + grad;
            v[i] = vel;
            w[i] -= lr * vel;
        }
    }
}
