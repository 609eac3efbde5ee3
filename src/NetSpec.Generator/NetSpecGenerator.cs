using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetSpec.Dsl.Model;
using NetSpec.Generator.Diagnostics;
using NetSpec.Generator.Emit;
using NetSpec.Generator.Model;

namespace NetSpec.Generator;

/// <summary>
/// specs/*.yaml (AdditionalFiles) → one partial class per spec. Pipeline: read the spec files →
/// compile each (front end, shapes, autodiff, memory plan; equatable values only) → emit C# and report
/// diagnostics at their YAML line/column. Spec and class names are unique
/// among the specs (NS0026). Never crashes: anything unexpected becomes NS0015.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetSpecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<SpecFile> files = context.AdditionalTextsProvider
            .Where(text => SpecPipeline.IsSpec(text.Path))
            .Select((text, token) => new SpecFile(text.Path, text.GetText(token)?.ToString() ?? ""))
            .WithTrackingName(StepNames.ReadSpecs);

        IncrementalValuesProvider<SpecOutput> compiled = files
            .Combine(files.Collect())
            .Select((pair, _) => SpecPipeline.Compile(pair.Left, pair.Right))
            .WithTrackingName(StepNames.CompileSpec);

        IncrementalValueProvider<EquatableArray<SpecIdentity>> identities = compiled
            .Where(output => output.Identity is not null)
            .Select((output, _) => output.Identity!)
            .Collect()
            .Select((all, _) => all.ToEquatableArray());

        IncrementalValuesProvider<SpecOutput> outputs = compiled
            .Combine(identities)
            .Select((pair, _) => SpecPipeline.Unique(pair.Left, pair.Right))
            .WithTrackingName(StepNames.CheckUnique);

        context.RegisterSourceOutput(outputs, Emit);
    }

    private static void Emit(SourceProductionContext context, SpecOutput output)
    {
        foreach (LocatedDiagnostic d in output.Diagnostics)
            context.ReportDiagnostic(DiagnosticReporter.ToRoslyn(d));
        if (output.Network is null)
            return;
        try
        {
            string source = NetworkEmitter.Emit(output.Network);
            context.AddSource($"{output.Network.Graph.Spec.ClassName}.g.cs", SourceText.From(source, System.Text.Encoding.UTF8));
        }
        catch (Exception e)
        {
            var d = new SpecDiagnostic("NS0015", Severity.Error,
                $"Internal compiler error: {e.GetType().Name} while emitting '{output.Network.Graph.Spec.Name}': {e.Message}. Please report it with the spec file.",
                new SourceLocation(output.Path, 1, 1, 0));
            context.ReportDiagnostic(DiagnosticReporter.ToRoslyn(new LocatedDiagnostic(d, 0, 0)));
        }
    }
}
