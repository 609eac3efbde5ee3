using NetSpec.Samples.SANet.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests;

/// <summary>
/// The test assembly doubles as a child process: <c>dotnet NetSpec.SANet.Tests.dll sanet ARGS…</c> runs the
/// sample's CLI (<see cref="SanetCli.Run"/>) with the test networks registered, so a test can kill a run that
/// trains in milliseconds at each of its fault points (Checkpoints/KillAndResumeTests.cs). Test runners load
/// the assembly without calling Main.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is not ["sanet", .. var rest])
        {
            Console.Error.WriteLine("usage: dotnet NetSpec.SANet.Tests.dll sanet <sample arguments>");
            return 2;
        }

        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(TestNetworks).TypeHandle);
        return SanetCli.Run(rest);
    }
}
