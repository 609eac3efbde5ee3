using NetSpec.Dsl;
using NetSpec.Dsl.Model;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// Reads a spec file with the compiler's front end (<c>extends</c> resolved next to it): its name picks the
/// generated class; errors in the file are reported as the build would, first one in the message.
/// </summary>
public static class SpecFile
{
    public const string DefaultSpec = "sanet-tiny";

    public static ExpandedSpec Expand(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: spec file not found");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        FrontEndResult result = SpecFrontEnd.Expand(path, File.ReadAllText(path), relative =>
        {
            string other = Path.Combine(folder, relative);
            return File.Exists(other) ? File.ReadAllText(other) : null;
        });
        SpecDiagnostic? error = result.Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error);
        if (result.Spec is null)
        {
            string message = error is null ? $"{path}: declares no network (abstract spec?)"
                : error.Location.Path.Length == 0 ? $"{path}{error}" : error.ToString();
            throw new SpecFileException(message);
        }

        return result.Spec;
    }

    public static string NameOf(string path) => Expand(path).Name;
}

/// <summary>A spec file that does not compile; the message is the first diagnostic with its file, line and column.</summary>
public sealed class SpecFileException(string message) : Exception(message);
