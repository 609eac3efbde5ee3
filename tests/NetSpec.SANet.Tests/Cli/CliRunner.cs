using NetSpec.Samples.SANet.Cli;
using NetSpec.SANet.Tests.Doubles;

namespace NetSpec.SANet.Tests.Cli;

/// <summary>Runs the sample's real CLI entry with captured stdout/stderr.</summary>
public static class CliRunner
{
    static CliRunner() => System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(TestNetworks).TypeHandle);

    /// <summary>
    /// Runs the sample as its own process (<c>dotnet SANet.dll …</c>), one device per process as users run it.
    /// The generated-network tests use this: several devices in one test process gave runs that differed.
    /// </summary>
    public static (int Code, string Out, string Error) RunProcess(params string[] args) => RunDll("SANet.dll", new Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunProcess(string[])"/>, with extra environment variables.</summary>
    public static (int Code, string Out, string Error) RunProcess(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunDll("SANet.dll", environment, args);

    /// <summary>
    /// Runs the sample's CLI with the test networks registered, in a child process (<c>dotnet NetSpec.SANet.Tests.dll
    /// sanet …</c>, see Program.cs) with extra environment variables (the fault points' SANET_KILL_AT, SANET_TRACE_POINTS).
    /// </summary>
    public static (int Code, string Out, string Error) RunChild(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunDll("NetSpec.SANet.Tests.dll", environment, ["sanet", .. args]);

    private static (int Code, string Out, string Error) RunDll(string dll, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (string a in args)
            start.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

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
