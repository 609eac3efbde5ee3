using NetSpec.Runtime;

namespace NetSpec.Runtime.Tests.Core;

public sealed class DeviceTests
{
    [Fact]
    public void AvailableListsTheCpu() => Assert.Contains("cpu", Device.Available());

    [Fact]
    public void UnknownNameIsAOneLineError()
    {
        var ex = Assert.Throws<DeviceNotAvailableException>(() => Device.Create("tpu"));
        Assert.Contains("auto, cuda, opencl or cpu", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [SomeDeviceAbsentFact]
    public void AbsentDeviceErrorNamesThePresentOnes()
    {
        DeviceKind missing = SomeDeviceAbsentFactAttribute.Missing!.Value;
        var ex = Assert.Throws<DeviceNotAvailableException>(() => Device.Create(missing.ToString().ToLowerInvariant()));
        Assert.Contains("present: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cpu", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void AutoAndCpuOpen()
    {
        using Device cpu = Device.Create("CPU");
        Assert.Equal(DeviceKind.Cpu, cpu.Kind);
        using Device auto = Device.Create();
        Assert.True(auto.Kind == DeviceKind.Cpu || Device.Has(auto.Kind));
    }
}

/// <summary>Runs where some device kind is absent (so that asking for it must fail); skipped with the reason elsewhere.</summary>
public sealed class SomeDeviceAbsentFactAttribute : FactAttribute
{
    public SomeDeviceAbsentFactAttribute()
    {
        if (Missing is null)
            Skip = "SKIPPED: CUDA and OpenCL are both present, so no absent device can be requested";
    }

    public static DeviceKind? Missing =>
        new[] { DeviceKind.Cuda, DeviceKind.OpenCL }.Where(k => !Device.Has(k)).Cast<DeviceKind?>().FirstOrDefault();
}
