using System.Diagnostics;

namespace NetSpec.Onnx.Tests.Support;

/// <summary>
/// A fact that needs ONNX's own checker (python3 with the onnx module: Debian's python3-onnx, which scripts/test.sh
/// installs where it can). Where no such python exists the test reports SKIPPED with the reason, never a silent pass.
/// </summary>
public sealed class OnnxCheckerFactAttribute : FactAttribute
{
    public OnnxCheckerFactAttribute()
    {
        if (OnnxChecker.Python is null)
            Skip = "SKIPPED: no python3 with the onnx module on this machine (apt-get install python3-onnx; scripts/test.sh installs it when run as root)";
    }
}

public static class OnnxChecker
{
    /// <summary>The first python that imports onnx: python3 on PATH, then Debian's /usr/bin/python3 (where python3-onnx installs).</summary>
    public static string? Python { get; } = new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(p => Run(p, "import onnx").Code == 0);

    /// <summary>onnx.checker.check_model with full_check (shape inference too) on the file; exit code and output.</summary>
    public static (int Code, string Output) Check(string model) =>
        Run(Python!, "import sys, onnx; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print('checked', onnx.__version__)", model);

    private static (int Code, string Output) Run(string python, string code, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(code);
            foreach (string a in args)
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill();
                return (-1, "timed out");
            }

            return (process.ExitCode, output + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
