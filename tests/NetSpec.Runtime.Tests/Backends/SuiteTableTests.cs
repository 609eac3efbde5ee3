using System.Reflection;
using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Runner;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>NetSpec.GpuCheck's <c>ops</c> mode runs <see cref="DeviceCheckSuites.All"/>; the test classes here must be the same list.</summary>
public sealed class SuiteTableTests
{
    [Fact]
    public void TheTestClassesAreTheSuitesTheGpuCheckRuns()
    {
        string[] classes = [.. typeof(SuiteTableTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(BackendChecks<>))
            .Select(t => $"{t.Name} {t.GetCustomAttribute<BackendAttribute>()!.Kind} {t.GetConstructors().Single().GetParameters().Single().ParameterType.Name} {t.BaseType!.GetGenericArguments()[0].Name}")
            .Order()];
        string[] suites = [.. DeviceCheckSuites.All.Select(s => $"{s.Name} {s.Kind} {s.Fixture.Name} {s.Checks.Name}").Order()];
        Assert.Equal(suites, classes);
        Assert.All(DeviceCheckSuites.All, s => Assert.NotEmpty(DeviceCheck.Names(s.Checks)));
        Assert.All(DeviceCheckSuites.All, s => Assert.True(s.Fixture.IsSubclassOf(typeof(DeviceFixture)), $"{s.Name}: {s.Fixture.Name} is not a DeviceFixture"));
    }
}
