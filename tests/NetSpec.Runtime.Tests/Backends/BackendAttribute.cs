using NetSpec.Runtime;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>Names the device kind a concrete test class runs on; the abstract base holds the test bodies.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class BackendAttribute(DeviceKind kind) : Attribute
{
    public DeviceKind Kind { get; } = kind;

    /// <summary>Why a test of this kind cannot run here, or null when a device is present.</summary>
    public static string? SkipReason(DeviceKind kind) =>
        Device.Has(kind) ? null : $"SKIPPED: no {kind.ToString().ToLowerInvariant()} device on this machine (present: {string.Join(", ", Device.Available())})";
}
