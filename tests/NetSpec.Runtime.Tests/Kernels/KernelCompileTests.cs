using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using NetSpec.Runtime.Ops;
using Xunit.Abstractions;

namespace NetSpec.Runtime.Tests.Kernels;

/// <summary>
/// Every kernel compiles to PTX and to OpenCL C without a device; the OpenCL C also passes clang's OpenCL 2.0
/// front end (which catches address-space errors). The registry is checked against the assembly so that a
/// new kernel cannot escape these tests.
/// </summary>
public sealed class KernelCompileTests(ITestOutputHelper output) : IDisposable
{
    private readonly Context context = Context.Create(b => b.Default().EnableAlgorithms().Math(MathMode.Fast32BitOnly));

    public static TheoryData<string> Kernels
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (KernelEntry k in KernelRegistry.All)
                data.Add(k.ToString());
            return data;
        }
    }

    [Fact]
    public void RegistryListsEveryKernelInTheAssembly()
    {
        var registered = KernelRegistry.All.Select(k => k.Method).ToHashSet();
        var found = typeof(Device).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(void) && (m.Name.EndsWith("Kernel", StringComparison.Ordinal) || m.GetParameters().FirstOrDefault()?.ParameterType == typeof(Index1D)))
            .ToHashSet();
        Assert.NotEmpty(found);
        Assert.Empty(found.Except(registered).Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));
        Assert.Empty(registered.Except(found).Select(m => $"{m.DeclaringType!.Name}.{m.Name}"));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void CompilesToPtx(string kernel) => Assert.Contains(".entry", Ptx(Find(kernel)), StringComparison.Ordinal);

    private string Ptx(KernelEntry entry)
    {
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_80), CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null);
        return ((PTXCompiledKernel)backend.Compile(Describe(entry), default)).PTXAssembly;
    }

    /// <summary>
    /// No 64-bit integer division or remainder: PTX has no such instruction, ptxas expands each into a long
    /// software sequence (and ILGPU may call a helper for it), per element where it sits in a grid-stride loop.
    /// Index math divides in 32 bits, the host having checked that the sizes fit.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void PtxHasNo64BitIntegerDivision(string kernel)
    {
        string ptx = Ptx(Find(kernel));
        string[] found = Regex.Matches(ptx, @"\b(div|rem)(\.[a-z]+)*\.[su]64\b").Select(m => m.Value).Distinct().ToArray();
        Assert.True(found.Length == 0, $"{kernel}: 64-bit integer division in its PTX: {string.Join(", ", found)}");
        Assert.DoesNotMatch(@"call[^;]*(Div|Rem|div|rem)", ptx);
    }

    /// <summary>
    /// No atomics (atom.* / red.*): float atomic adds make the summation order, and so the last bits, depend on
    /// thread timing. Every kernel writes each output from one thread (gathers, partials summed in a fixed order),
    /// so GPU runs repeat bit for bit (docs/design/runtime-ops.md). The CPU accelerator may serialise atomics and
    /// hide that, so the PTX is checked.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kernels))]
    public void PtxHasNoAtomics(string kernel)
    {
        string[] found = Regex.Matches(Ptx(Find(kernel)), @"\b(atom|red)\.[a-z0-9.]+").Select(m => m.Value).Distinct().ToArray();
        Assert.True(found.Length == 0, $"{kernel}: atomics in its PTX: {string.Join(", ", found)}");
    }

    [ClangTheory]
    [MemberData(nameof(Kernels))]
    public void CompilesToOpenClCAcceptedByClang(string kernel)
    {
        KernelEntry entry = Find(kernel);
        var capabilities = new CLCapabilityContext(true, true, true, true, true);
        using var backend = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        var compiled = (CLCompiledKernel)backend.Compile(Describe(entry), default);
        Assert.Contains("kernel", compiled.Source, StringComparison.Ordinal);
        string file = Path.Combine(Path.GetTempPath(), $"netspec-{kernel}-{Environment.ProcessId}.cl");
        File.WriteAllText(file, compiled.Source);
        try
        {
            (int code, string errors) = ClangTheoryAttribute.Check(file);
            if (code != 0)
                output.WriteLine(compiled.Source);
            Assert.True(code == 0, $"clang-14 rejected the OpenCL C of {kernel}:\n{errors}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    public void Dispose() => context.Dispose();

    private static KernelEntry Find(string name) => KernelRegistry.All.Single(k => k.ToString() == name);

    private static EntryPointDescription Describe(KernelEntry entry) => entry.ExplicitlyGrouped
        ? EntryPointDescription.FromExplicitlyGroupedKernel(entry.Method)
        : EntryPointDescription.FromImplicitlyGroupedKernel(entry.Method);
}

/// <summary>A theory that is reported as skipped (with the reason) where clang-14 is not installed.</summary>
public sealed class ClangTheoryAttribute : TheoryAttribute
{
    public ClangTheoryAttribute()
    {
        if (!Available.Value)
            Skip = "SKIPPED: clang-14 is not on PATH; the OpenCL C cannot be syntax-checked here";
    }

    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            return Run("--version").Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static (int Code, string Errors) Check(string file) =>
        Run($"-x cl -cl-std=CL2.0 -Xclang -finclude-default-header -fsyntax-only \"{file}\"");

    private static (int Code, string Errors) Run(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("clang-14", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        string errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, errors);
    }
}
