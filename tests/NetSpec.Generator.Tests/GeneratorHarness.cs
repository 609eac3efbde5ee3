using System.Collections.Immutable;
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetSpec.Runtime;
using Device = NetSpec.Runtime.Device;

namespace NetSpec.Generator.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
public sealed class InMemoryText(string path, string text) : AdditionalText
{
    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, System.Text.Encoding.UTF8);
}

/// <summary>Runs the generator the way the compiler does, and compiles what it produced against NetSpec.Runtime and ILGPU.</summary>
public static class GeneratorHarness
{
    public static readonly string SpecFolder = Path.Combine(AppContext.BaseDirectory, "specs");

    public static IReadOnlyList<InMemoryText> RepositorySpecs() =>
        Directory.GetFiles(SpecFolder, "*.yaml").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new InMemoryText("specs/" + Path.GetFileName(f), File.ReadAllText(f))).ToList();

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Concat(new[] { typeof(INetwork).Assembly, typeof(Accelerator).Assembly, typeof(XMath).Assembly }
                .Select(a => MetadataReference.CreateFromFile(a.Location)))
            .ToImmutableArray();
    });

    public static CSharpCompilation EmptyCompilation(string name = "Networks") => CSharpCompilation.Create(name,
        new[] { CSharpSyntaxTree.ParseText("", new CSharpParseOptions(LanguageVersion.Latest)) },
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999, allowUnsafe: true));

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> texts, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new NetSpecGenerator().AsSourceGenerator() },
            texts,
            new CSharpParseOptions(LanguageVersion.Latest),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public sealed record Run(GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
    {
        public string Source(string hintName) => Result.Results.Single().GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

        /// <summary>Errors and warnings of compiling the generated code (nothing hidden or informational).</summary>
        public IReadOnlyList<Diagnostic> CompileDiagnostics() =>
            Output.GetDiagnostics().Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();

        /// <summary>The generated code emitted and loaded into this process; the test fails with the compiler's errors otherwise.</summary>
        public Assembly Load()
        {
            using var stream = new MemoryStream();
            var emit = Output.Emit(stream);
            Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            return Assembly.Load(stream.ToArray());
        }
    }

    public static Run Generate(IEnumerable<AdditionalText> texts)
    {
        CSharpCompilation input = EmptyCompilation();
        GeneratorDriver driver = Driver(texts).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new Run(driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>A single spec as <c>specs/test.yaml</c>, with the repository specs beside it for <c>extends</c>.</summary>
    public static Run GenerateOne(string text, string file = "test.yaml") =>
        Generate(RepositorySpecs().Where(s => s.Path == "specs/segmentation-base.yaml").Append(new InMemoryText("specs/" + file, text)));

    /// <summary>
    /// A single spec (class <c>Test</c>, no generator diagnostics: 3 classes, an RGB image input, then
    /// <paramref name="graph"/>) compiled, created on <paramref name="device"/>, its parameters seeded with 3, prepared for
    /// inference at (2, 4, 5) and run forward on <see cref="ForwardOneImage"/>.
    /// </summary>
    public static INetwork ForwardOne(Device device, string graph)
    {
        var run = GenerateOne("""
            classes: 3
            sizes: { N: 1, H: 4, W: 5 }
            inputs:
              image: { shape: [N, 3, H, W] }

            """ + graph);
        Assert.Empty(run.GeneratorDiagnostics);
        var net = (INetwork)Activator.CreateInstance(run.Load().GetType("NetSpec.Networks.Test")!, device)!;
        net.InitializeParameters(3);
        net.Prepare(2, 4, 5, training: false);
        var image = new float[net.Image.Length];
        for (int i = 0; i < image.Length; i++)
            image[i] = ForwardOneImage(i);
        net.Image.View.CopyFromCPU(image);
        net.Forward(training: false);
        return net;
    }

    /// <summary>Element i of the image <see cref="ForwardOne"/> runs on: sin(0.37·i)·(i + 1), both signs.</summary>
    public static float ForwardOneImage(int i) => MathF.Sin(0.37f * i) * (i + 1);
}
