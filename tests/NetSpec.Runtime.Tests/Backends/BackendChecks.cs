using NetSpec.DeviceChecks;
using NetSpec.DeviceChecks.Runner;

namespace NetSpec.Runtime.Tests.Backends;

/// <summary>
/// The [DeviceCheck]s of <typeparamref name="TChecks"/> (benchmarks/NetSpec.DeviceChecks) as tests, one per check, on the
/// fixture's device; a concrete class names the backend ([Backend]) and the fixture (IClassFixture).
/// </summary>
public abstract class BackendChecks<TChecks>(DeviceFixture fixture)
    where TChecks : class
{
    public static TheoryData<string> Checks => [.. DeviceCheck.Names(typeof(TChecks))];

    [BackendTheory]
    [MemberData(nameof(Checks))]
    public void Run(string check) => DeviceCheck.Invoke(DeviceCheck.Create(typeof(TChecks), fixture), check);
}
