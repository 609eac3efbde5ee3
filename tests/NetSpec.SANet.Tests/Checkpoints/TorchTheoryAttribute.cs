using System.Diagnostics;

namespace NetSpec.SANet.Tests.Checkpoints;

/// <summary>
/// A test that runs a script with PyTorch: Debian's python3-torch in /usr/bin/python3 (scripts/test.sh installs it
/// when run as root). Without it the test reports SKIPPED with the reason, never a silent pass.
/// </summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute()
    {
        if (Torch.Python is null)
            Skip = "SKIPPED: no python3 with torch on this machine (apt-get install python3-torch; scripts/test.sh installs it when run as root)";
    }
}

public static class Torch
{
    /// <summary>The first python that imports torch: Debian's /usr/bin/python3 (where python3-torch installs), then python3 on PATH.</summary>
    public static string? Python { get; } = new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(p => Run(p, ["-c", "import torch"]).Code == 0);

    /// <summary>Runs a script with <see cref="Python"/>; its exit code and output (stdout, then stderr).</summary>
    public static (int Code, string Output) RunScript(string script, params string[] args) => Run(Python!, ["-B", script, .. args]); // -B: no __pycache__ beside the fixtures

    private static (int Code, string Output) Run(string python, string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in args)
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(300_000))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 300 s");
            }

            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
