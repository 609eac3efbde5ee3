namespace NetSpec.DeviceChecks;

/// <summary>
/// A check of a class built on a device fixture: a public method without parameters that throws when the device gets it
/// wrong. tests/NetSpec.Runtime.Tests runs each as a test per backend; NetSpec.GpuCheck's <c>ops</c> mode runs them bare.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DeviceCheckAttribute : Attribute;
