using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetSpec.Dsl.Model;
using NetSpec.Generator.Model;

namespace NetSpec.Generator.Diagnostics;

/// <summary>
/// Turns NetSpec diagnostics into Roslyn ones located in the YAML file, so the build prints
/// <c>specs/sanet-r50.yaml(L,C): error NS0003: …</c>.
/// </summary>
internal static class DiagnosticReporter
{
    private static readonly Dictionary<(string, Severity), DiagnosticDescriptor> Descriptors = new();

    public static Diagnostic ToRoslyn(LocatedDiagnostic located)
    {
        SpecDiagnostic d = located.Diagnostic;
        SourceLocation at = d.Location;
        var start = new LinePosition(System.Math.Max(0, at.Line - 1), System.Math.Max(0, at.Column - 1));
        var end = new LinePosition(start.Line, start.Character + located.Length);
        Location location = Location.Create(at.Path, new TextSpan(located.Start, located.Length), new LinePositionSpan(start, end));
        return Diagnostic.Create(Descriptor(d.Id, d.Severity), location, d.Message);
    }

    /// <summary>Character offset of a 1-based (line, column) in <paramref name="text"/>, clamped to the text.</summary>
    public static int Offset(string text, int line, int column)
    {
        int offset = 0;
        for (int l = 1; l < line && offset < text.Length; l++)
        {
            int next = text.IndexOf('\n', offset);
            if (next < 0)
                return text.Length;
            offset = next + 1;
        }

        return System.Math.Min(text.Length, offset + System.Math.Max(0, column - 1));
    }

    private static DiagnosticDescriptor Descriptor(string id, Severity severity)
    {
        lock (Descriptors)
        {
            if (!Descriptors.TryGetValue((id, severity), out DiagnosticDescriptor? descriptor))
            {
                descriptor = new DiagnosticDescriptor(id, $"NetSpec {id}", "{0}", "NetSpec",
                    severity == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, isEnabledByDefault: true);
                Descriptors[(id, severity)] = descriptor;
            }

            return descriptor;
        }
    }
}
