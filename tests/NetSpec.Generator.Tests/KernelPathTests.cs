using NetSpec.Runtime;
using NetSpec.Runtime.Training;
using Xunit.Abstractions;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>
/// A whole generated network through the ILGPU kernels (the GPU path, run on ILGPU's CPU accelerator with
/// <c>HostCode = false</c>) against the host path: a training step (forward, losses, backward) and two SGD
/// updates with momentum, comparing the losses, the mask logits, every parameter gradient, the BN running
/// statistics and counters, and the weights and momenta after each update.
/// </summary>
/// <remarks>
/// The GEMM stays host code on both sides (<c>Device.HostGemm</c>): on CUDA it is cuBLAS, not a kernel of ours,
/// and the tiled OpenCL GEMM, checked on its own in the runtime's GemmTests, takes minutes for a network on the CPU
/// accelerator. Everything else (im2col, BN, pooling, resize, losses, elementwise, SGD) runs its kernel.
/// </remarks>
public sealed class KernelPathTests(ITestOutputHelper output)
{
    /// <summary>
    /// Allowed |kernel − host| relative to the tensor's largest magnitude. Both paths do the same float32
    /// operations except the order of the additions in each sum (and host Winograd for wide 3×3 convs). The
    /// longest sum at 2×32×32 has n = 2304 terms (the FCN head's 3×3 conv over 256 channels); float32 rounding
    /// behaves like independent zero-mean errors, so a sum in another order moves by at most λ·√n·u·Σ|terms|
    /// with overwhelming probability (λ = 6: 6·48·6.0e-8 = 1.7e-5; Higham and Mary's probabilistic bound). An
    /// iteration chains about 100 such ops (forward and backward), whose independent errors add in quadrature
    /// (×10), and BN's division by σ and cancellation in gradient sums (Σ|terms| against |sum|) amplify them by
    /// up to about 10: 1.7e-5·10·10 = 1.7e-3, rounded up to 2e-3. The first-order worst case (n·u per sum,
    /// added linearly) is far above any useful bound, and an indexing or accumulate bug moves values by O(1).
    /// Discontinuities (a max-pool's argmax, ReLU's kink) can turn such a difference into an O(1) one where two
    /// values nearly tie: these inputs have none in the first step (a second forward after an update had one in
    /// the stem, which is why the test compares one step).
    /// </summary>
    private const double Tolerance = 2e-3;

    private static INetwork Create(Device device) =>
        (INetwork)Activator.CreateInstance(RunGeneratedTests.Networks.Value.GetType("NetSpec.Networks.SanetTiny")!, device)!;

    [Fact]
    public void Sanet_tiny_training_step_through_the_kernels_equals_the_host_path()
    {
        using Device host = Device.Create("cpu");
        // a CPU accelerator of 4 threads instead of the default's 16: its emulated threads are OS threads that all
        // take part in every launch and meet at every group barrier (docs/design/gpu-path.md, "Tests on the CPU
        // accelerator"); the same kernel code, its sums in groups of 4 and so in another order, which the tolerance allows
        using Device kernels = Device.CreateCpu(4);
        kernels.HostCode = false;
        kernels.HostGemm = true;
        using INetwork expected = Create(host), actual = Create(kernels);
        foreach (INetwork net in new[] { expected, actual })
        {
            net.InitializeParameters(3);
            net.Prepare(2, 32, 32, training: true);
            RunGeneratedTests.Fill(net, net.NumClasses);
        }

        foreach (INetwork net in new[] { expected, actual })
        {
            net.StepSeed = 11;
            net.Forward(training: true);
        }

        LossValues e = expected.ReadLosses(), a = actual.ReadLosses();
        Assert.Equal(e.Terms.Keys.Order(), a.Terms.Keys.Order());
        foreach (string term in e.Terms.Keys)
            Near($"loss {term}", [e.Terms[term]], [a.Terms[term]]);
        Near("loss total", [e.Total], [a.Total]);
        Near("mask logits", RunGeneratedTests.Read(expected.Output("mask")), RunGeneratedTests.Read(actual.Output("mask")));

        expected.Backward();
        actual.Backward();
        host.Synchronize();
        kernels.Synchronize();
        Assert.Equal(expected.Parameters.Select(p => p.Name), actual.Parameters.Select(p => p.Name));
        foreach ((Parameter pe, Parameter pa) in expected.Parameters.Zip(actual.Parameters))
        {
            float[] value = DeviceData.Download<float>(pe.Value.View), kernelValue = DeviceData.Download<float>(pa.Value.View);
            if (pe.Kind == ParameterKind.Counter)
                Assert.Equal(value, kernelValue);
            else
                Near($"{pe.Name} ({pe.Kind})", value, kernelValue); // running statistics; weights still equal
            if (pe.Kind != ParameterKind.Weight)
                continue;
            float[] grad = DeviceData.Download<float>(pe.Grad!.View);
            Assert.True(grad.Any(v => v != 0f), $"{pe.Name}: gradient is zero everywhere, the comparison would be vacuous");
            Near($"{pe.Name} gradient", grad, DeviceData.Download<float>(pa.Grad!.View));
        }

        // two updates from these gradients: the second adds the momentum of the first
        using var sgdExpected = new Sgd(host, expected.Parameters, momentum: 0.9f, weightDecay: 1e-4f);
        using var sgdActual = new Sgd(kernels, actual.Parameters, momentum: 0.9f, weightDecay: 1e-4f);
        Assert.Equal(1, sgdActual.LaunchesPerStep); // the network's weights are one run of its parameter arena
        for (int step = 1; step <= 2; step++)
        {
            sgdExpected.Step(0.05f);
            sgdActual.Step(0.05f);
            host.Synchronize();
            kernels.Synchronize();
            foreach ((Parameter pe, Parameter pa) in expected.Parameters.Zip(actual.Parameters).Where(p => p.First.Kind == ParameterKind.Weight))
            {
                Near($"{pe.Name} after update {step}", DeviceData.Download<float>(pe.Value.View), DeviceData.Download<float>(pa.Value.View));
                Near($"{pe.Name} momentum after update {step}", sgdExpected.ReadMomentum(pe.Name), sgdActual.ReadMomentum(pa.Name));
            }
        }
    }

    private void Near(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v)), worst = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)expected[i] - actual[i]);
            if (!(diff <= worst))
                (worst, at) = (diff, i);
        }

        if (worst > Tolerance * scale / 100)
            output.WriteLine($"{what}: max |diff| {worst:E2} (at {at}), max |value| {scale:E2}");
        Assert.True(worst <= Tolerance * scale, $"{what}: [{at}] host {expected[at]}, kernels {actual[at]}; max |value| {scale:E3}, allowed {Tolerance * scale:E3}");
    }
}
