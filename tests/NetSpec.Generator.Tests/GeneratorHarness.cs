using System.Collections.Immutable;
using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetSpec.Runtime;

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
}
