using System.Reflection;
using System.Runtime.ExceptionServices;

namespace NetSpec.DeviceChecks.Runner;

/// <summary>Finds and runs the [DeviceCheck] methods of a class of checks.</summary>
public static class DeviceCheck
{
    /// <summary>The names of <paramref name="checks"/>' [DeviceCheck] methods, in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type checks) =>
        [.. checks.GetMethods().Where(m => m.GetCustomAttribute<DeviceCheckAttribute>() is not null).OrderBy(m => m.MetadataToken).Select(m => m.Name)];

    /// <summary>A class of checks on <paramref name="fixture"/>'s device.</summary>
    public static object Create(Type checks, DeviceFixture fixture) => Activator.CreateInstance(checks, fixture)!;

    /// <summary>Runs one check; its own exception (not a reflection wrapper) propagates when it fails.</summary>
    public static void Invoke(object checks, string name)
    {
        MethodInfo method = checks.GetType().GetMethod(name) ?? throw new ArgumentException($"{checks.GetType().Name} has no check {name}", nameof(name));
        try
        {
            method.Invoke(checks, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }
}
