using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>
/// The generated Backward's <c>Device.GradientsReady</c> calls (the hook a data-parallel trainer starts its gradient
/// all-reduces from): every weight is announced exactly once, and what its gradient holds at that moment is its final
/// value. The gradients are filled with NaN first, so a call placed before the step that writes them shows NaN.
/// </summary>
public sealed class GradientHookTests
{
    [Theory]
    [InlineData("SanetTiny", true)]
    [InlineData("FcnTiny", true)]
    [InlineData("SanetTiny", false)]
    public void Every_weight_is_announced_once_with_its_final_gradient(string className, bool hostCode)
    {
        using Device device = Device.Create("cpu");
        device.HostCode = hostCode;
        device.HostGemm = true;
        using INetwork net = (INetwork)Activator.CreateInstance(RunGeneratedTests.Networks.Value.GetType("NetSpec.Networks." + className)!, device)!;
        net.InitializeParameters(3);
        net.Prepare(2, 32, 32, training: true);
        RunGeneratedTests.Fill(net, net.NumClasses);
        net.Forward(training: true);
        Parameter[] weights = net.Parameters.Where(p => p.Grad is not null).ToArray();
        foreach (Parameter p in weights)
            DeviceData.Upload<float>(p.Grad!.View, Enumerable.Repeat(float.NaN, (int)p.Length).ToArray());

        var heard = new Recorder(device);
        device.GradientListener = heard;
        net.Backward();
        device.GradientListener = null;

        Assert.Equal(weights.Select(p => p.Name).Order(), heard.Order.Select(p => p.Name).Order()); // each once
        foreach (Parameter p in weights)
        {
            int[] final = Bits(DeviceData.Download<float>(p.Grad!.View));
            Assert.True(final.SequenceEqual(Bits(heard.AtHook[p])), $"{p.Name}: its gradient at the hook is not its final one");
        }
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private sealed class Recorder(Device device) : IGradientListener
    {
        public List<Parameter> Order { get; } = [];

        public Dictionary<Parameter, float[]> AtHook { get; } = [];

        public void GradientsReady(ReadOnlySpan<Parameter> weights)
        {
            device.Synchronize();
            foreach (Parameter p in weights)
            {
                Order.Add(p);
                AtHook[p] = DeviceData.Download<float>(p.Grad!.View);
            }
        }
    }
}
