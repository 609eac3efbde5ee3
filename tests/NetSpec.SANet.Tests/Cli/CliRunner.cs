using NetSpec.Samples.SANet.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>Runs the sample's real CLI entry with captured stdout/stderr.</summary>
public static class CliRunner
{
    static CliRunner() => System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(TestNetworks).TypeHandle);

    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        var output = new StringWriter();
        var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = SanetCli.Run(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
