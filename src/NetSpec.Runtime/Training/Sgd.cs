using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace NetSpec.Runtime.Training;

/// <summary>
/// SGD with momentum, PyTorch semantics: g' = g + wd·w (only where Parameter.WeightDecay);
/// v = μ·v + g'; w −= lr·LrMult·v. Momentum buffers are kept per parameter name and can be read and
/// written from the host for checkpoints.
/// </summary>
/// <remarks>
/// On the kernel path one launch updates a run of weights that lie back to back in a <see cref="ParameterArena"/>
/// (values, gradients and momenta at the same offsets), whatever their lr multipliers and decay: a table of
/// update classes (where each ends, its lr multiplier, its decay) tells each element its rule. A generated network's
/// weights are one run, so its update is one launch; parameters made on their own are a run each.
/// </remarks>
public sealed class Sgd : IDisposable
{
    private readonly Device device;
    private readonly List<Parameter> weights;
    private readonly List<SgdRun> runs;
    private readonly Dictionary<string, ArrayView1D<float, Stride1D.Dense>> momentum = new();
    private readonly MemoryBuffer1D<long, Stride1D.Dense>? classEnds;
    private readonly MemoryBuffer1D<float, Stride1D.Dense>? classRules;

    public Sgd(Device device, IEnumerable<Parameter> parameters, float momentum = 0.9f, float weightDecay = 1e-4f)
    {
        this.device = device;
        weights = parameters.Where(p => p.Kind == ParameterKind.Weight).ToList();
        Momentum = momentum;
        WeightDecay = weightDecay;
        if (weights.Select(p => p.Name).Distinct().Count() != weights.Count)
            throw new ArgumentException($"parameter name {weights.GroupBy(p => p.Name).First(g => g.Count() > 1).Key} appears twice");
        runs = SgdRun.Plan(device.Accelerator, weights);
        foreach (SgdRun run in runs)
        {
            foreach (Parameter p in run.Weights)
                this.momentum[p.Name] = run.Velocity.View.SubView(p.ArenaOffset - run.Start, p.Length);
        }

        // every run's class table, one after another: ends relative to the run's start; lr multiplier and decay
        var ends = new List<long>();
        var rules = new List<float>();
        foreach (SgdRun run in runs)
        {
            run.TableStart = ends.Count;
            foreach ((long end, float lrMult, bool decay) in run.Classes)
            {
                ends.Add(end);
                rules.Add(lrMult);
                rules.Add(decay ? weightDecay : 0f);
            }
        }

        if (ends.Count > 0)
        {
            classEnds = device.Accelerator.Allocate1D(ends.ToArray());
            classRules = device.Accelerator.Allocate1D(rules.ToArray());
        }

        device.Synchronize();
    }

    public float Momentum { get; }

    public float WeightDecay { get; }

    /// <summary>Names of the parameters that have a momentum buffer (the trained weights).</summary>
    public IReadOnlyList<string> StateNames => weights.Select(p => p.Name).ToList();

    /// <summary>Floats of momentum held: every run of weights' span in its arena.</summary>
    public long MomentumFloats => runs.Sum(r => r.Length);

    /// <summary>Kernel launches a <see cref="Step"/> takes on the kernel path: one a run of back-to-back weights.</summary>
    public int LaunchesPerStep => runs.Count;

    /// <summary>One update of every weight with learning rate <paramref name="lr"/> (times its LrMult).</summary>
    public void Step(float lr)
    {
        if (device.HostCode)
        {
            device.Synchronize();
            HostParallel.For(weights.Count, i =>
            {
                Parameter p = weights[i];
                StepHost(p, momentum[p.Name], lr * p.LrMult, Momentum, p.WeightDecay ? WeightDecay : 0f);
            });
            return;
        }

        var kernel = device.Kernel("sgd.step", StepKernel);
        foreach (SgdRun run in runs)
        {
            int threads = device.GridStrideThreads(run.Length);
            kernel(threads, run.Values, run.Grads, run.Velocity.View,
                classEnds!.View.SubView(run.TableStart, run.Classes.Count), classRules!.View.SubView(2 * run.TableStart, 2 * run.Classes.Count),
                run.Length, lr, Momentum, threads);
        }
    }

    public float[] ReadMomentum(string name) => DeviceData.Download<float>(View(name));

    /// <summary>The momentum buffer of weight <paramref name="name"/> in device memory (a checkpoint streams it from here).</summary>
    public ArrayView<float> MomentumOf(string name) => View(name);

    public void WriteMomentum(string name, ReadOnlySpan<float> values) => DeviceData.Upload(View(name), values);

    public void Dispose()
    {
        foreach (SgdRun run in runs)
            run.Velocity.Dispose();
        classEnds?.Dispose();
        classRules?.Dispose();
    }

    private ArrayView1D<float, Stride1D.Dense> View(string name) =>
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

    /// <summary>
    /// One run of weights, (n) floats: element i belongs to the first class c with i &lt; classEnd[c], whose rule is
    /// rules[2c] (lr multiplier) and rules[2c+1] (decay); an alignment gap belongs to the class after it (zeros stay zero).
    /// A thread's elements ascend, so its class only moves forward.
    /// </summary>
    internal static void StepKernel(Index1D index, ArrayView<float> w, ArrayView<float> g, ArrayView<float> v, ArrayView<long> classEnd,
        ArrayView<float> rules, long n, float lr, float mu, int stride)
    {
        int c = 0;
        for (long i = index; i < n; i += stride)
        {
            while (i >= classEnd[c])
                c++;
            float wd = rules[(2 * c) + 1];
            float grad = g[i] + (wd * w[i]);
            float vel = (mu * v[i]) + grad;
            v[i] = vel;
            w[i] -= lr * rules[2 * c] * vel;
        }
    }
}
