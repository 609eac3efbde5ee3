using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using NetSpec.Dsl;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;
using NetSpec.Generator.Diagnostics;
using NetSpec.Generator.Emit;
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
            if (result.Network is not CompiledNetwork network)
                return new SpecOutput(file.Path, null, Locate(result.Diagnostics, file, all));
            List<SpecDiagnostic> conflicts = CSharpConflicts(network);
            if (conflicts.Count > 0)
                return new SpecOutput(file.Path, null, Locate(result.Diagnostics.Concat(conflicts), file, all));
            ExpandedSpec spec = network.Graph.Spec;
            LocatedDiagnostic At(SourceLocation location) => Locate(new[] { DiagnosticCatalog.DuplicateSpec.At(location, "") }, file, all)[0];
            var identity = new SpecIdentity(file.Path, spec.Name, spec.ClassName, At(spec.NameLocation), At(spec.ClassNameLocation));
            return new SpecOutput(file.Path, network, Locate(result.Diagnostics, file, all), identity);
        }
        catch (Exception e)
        {
            var d = new SpecDiagnostic("NS0015", Severity.Error,
                $"Internal compiler error: {e.GetType().Name}: {e.Message}. Please report it with the spec file.", new SourceLocation(file.Path, 1, 1, 0));
            return new SpecOutput(file.Path, null, new[] { new LocatedDiagnostic(d, 0, 0) }.ToEquatableArray());
        }
    }

    /// <summary>NS0027: a class name that hides a type the generated code uses, or two spec names that become one member.</summary>
    private static List<SpecDiagnostic> CSharpConflicts(CompiledNetwork network)
    {
        ExpandedSpec spec = network.Graph.Spec;
        if (MemberTable.ReservedTypeNames.Contains(spec.ClassName))
        {
            return new List<SpecDiagnostic>
            {
                DiagnosticCatalog.NameCollision.At(spec.ClassNameLocation,
                    $"The class '{spec.ClassName}' of spec '{spec.Name}' would hide the type or namespace '{spec.ClassName}' that generated code uses; choose another class: or name:"),
            };
        }

        return MemberTable.Conflicts(new EmitContext(network));
    }

    /// <summary>
    /// NS0026 on a spec whose name or class an earlier spec of the compilation (in AdditionalFiles order) already has:
    /// the earlier one is generated, this one is not (two classes of one name would be CS8785 and nothing generated).
    /// </summary>
    public static SpecOutput Unique(SpecOutput output, EquatableArray<SpecIdentity> all)
    {
        if (output.Identity is not SpecIdentity me)
            return output;
        foreach (SpecIdentity other in all.TakeWhile(o => o.Path != me.Path))
        {
            LocatedDiagnostic at;
            string message;
            if (other.Name == me.Name)
                (at, message) = (me.NameAt, $"Spec name '{me.Name}' is already used by {other.Path}");
            else if (other.ClassName == me.ClassName)
                (at, message) = (me.ClassAt, $"Class '{me.ClassName}' of spec '{me.Name}' is already generated for spec '{other.Name}' ({other.Path}); give one of them another class: or name:");
            else
                continue;
            var d = at with { Diagnostic = DiagnosticCatalog.DuplicateSpec.At(at.Diagnostic.Location, message) };
            return output with { Network = null, Identity = null, Diagnostics = output.Diagnostics.Append(d).ToEquatableArray() };
        }

        return output;
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
