using System.Diagnostics;
using NetSpec.Runtime;

namespace NetSpec.DeviceChecks.Runner;

/// <summary>
/// Runs the checks without a test runner (NetSpec.GpuCheck's <c>ops</c> mode on a GPU machine without .NET): every
/// suite of one device kind, PASS/FAIL per check; <c>bench</c> also times GEMM and conv on that device.
/// Usage: <c>ops cuda|opencl|cpu [bench]</c>.
/// </summary>
public static class DeviceCheckRunner
{
    public static int Run(string[] args)
    {
        string name = args.FirstOrDefault() ?? "cuda";
        if (!Enum.TryParse(name, ignoreCase: true, out DeviceKind kind))
        {
            Console.Error.WriteLine($"ops: unknown device kind '{name}' (expected cpu, cuda or opencl)");
            return 2;
        }

        Console.WriteLine($"devices: {string.Join(", ", Device.Available())}");
        int passed = 0, failed = 0;
        foreach (DeviceCheckSuite suite in DeviceCheckSuites.All.Where(s => s.Kind == kind))
        {
            using var fixture = (DeviceFixture)Activator.CreateInstance(suite.Fixture)!;
            object checks = DeviceCheck.Create(suite.Checks, fixture);
            foreach (string check in DeviceCheck.Names(suite.Checks))
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    DeviceCheck.Invoke(checks, check);
                    passed++;
                    Console.WriteLine($"PASS {suite.Name}.{check} ({clock.ElapsedMilliseconds} ms)");
                }
                catch (Exception e)
                {
                    failed++;
                    Console.WriteLine($"FAIL {suite.Name}.{check}: {e}");
                }
            }
        }

        Console.WriteLine($"{passed} passed, {failed} failed");
        if (args.Contains("bench"))
            DeviceBench.Run(kind);
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
