using NetSpec.Samples.SANet.Training;

namespace NetSpec.SANet.Tests.Training;

public class EtaTests
{
    [Theory]
    [InlineData(59.9, "00:00:59")]
    [InlineData(3 * 3600 + 25 * 60 + 7, "03:25:07")]
    [InlineData(25 * 3600 + 30 * 60, "25:30:00")] // TimeSpan's hh would print 01:30:00
    [InlineData(100 * 3600, "100:00:00")]
    [InlineData(1e300, ">1000000:00:00")] // past TimeSpan.MaxValue: FromSeconds would throw
    [InlineData(double.PositiveInfinity, ">1000000:00:00")]
    public void CountsHoursPastADay(double seconds, string expected) => Assert.Equal(expected, Trainer.Eta(seconds));
}
