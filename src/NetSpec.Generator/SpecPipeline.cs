using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;
using NetSpec.Generator.Diagnostics;
using NetSpec.Generator.Model;

namespace NetSpec.Generator;

/// <summary>The generator's pure steps, testable without Roslyn's driver.</summary>
internal static class SpecPipeline
{
    /// <summary>A spec is any <c>*.yaml</c>/<c>*.yml</c> AdditionalFile inside a folder named <c>specs</c>.</summary>
    public static bool IsSpec(string path)
    {
        string normalized = path.Replace('\\', '/');
        return (normalized.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || normalized.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            && Enumerable.Reverse(normalized.Split('/')).Skip(1).Any(folder => folder.Equals("specs", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Front end + middle for one spec; <paramref name="all"/> resolves <c>extends</c>. Never throws (NS0015).</summary>
    public static SpecOutput Compile(SpecFile file, ImmutableArray<SpecFile> all)
    {
        try
        {
            string folder = PathText.Folder(file.Path);
            string? Resolve(string relative)
            {
                string wanted = PathText.Normalize(folder + relative);
                return all.FirstOrDefault(f => PathText.Normalize(f.Path) == wanted)?.Text;
            }

            CompileResult result = SpecCompiler.Compile(file.Path, file.Text, Resolve);
            return new SpecOutput(file.Path, result.Network, Locate(result.Diagnostics, file, all));
        }
        catch (Exception e)
        {
            var d = new SpecDiagnostic("NS0015", Severity.Error,
                $"Internal compiler error: {e.GetType().Name}: {e.Message}. Please report it with the spec file.", new SourceLocation(file.Path, 1, 1, 0));
            return new SpecOutput(file.Path, null, new[] { new LocatedDiagnostic(d, 0, 0) }.ToEquatableArray());
        }
    }

    private static EquatableArray<LocatedDiagnostic> Locate(IEnumerable<SpecDiagnostic> diagnostics, SpecFile file, ImmutableArray<SpecFile> all) =>
        diagnostics.Select(d =>
        {
            string text = PathText.Normalize(d.Location.Path) == PathText.Normalize(file.Path)
                ? file.Text
                : all.FirstOrDefault(f => PathText.Normalize(f.Path) == PathText.Normalize(d.Location.Path))?.Text ?? "";
            int start = DiagnosticReporter.Offset(text, d.Location.Line, d.Location.Column);
            return new LocatedDiagnostic(d, start, Math.Max(0, Math.Min(d.Location.Length, text.Length - start)));
        }).ToEquatableArray();
}
