using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Samples.SANet.Data;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// Reads a spec file with the compiler's front end: its name picks the generated class; errors in the file are
/// reported as the build would, first one in the message. <c>extends</c> is resolved as the build resolves it
/// (src/NetSpec.Generator/SpecPipeline.cs: a parent is a <c>.yaml</c>/<c>.yml</c> file inside a folder named
/// <c>specs</c>) or inside the spec's own folder tree; every file read is a regular file of at most
/// <see cref="MaxBytes"/>, so a FIFO, <c>/dev/zero</c> or <c>/etc/shadow</c> named by <c>extends</c> is refused.
/// </summary>
public static class SpecFile
{
    public const string DefaultSpec = "sanet-tiny";

    /// <summary>1 MiB: a hundred times the largest spec in specs/.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>
    /// <c>--spec</c>: a spec file, or a spec compiled into this build by name (<c>sanet-tiny-voc</c>, also
    /// <c>sanet-tiny-voc.yaml</c>) or by repository path (<c>specs/sanet-r50.yaml</c> from another folder). A file that
    /// exists wins. <c>Origin</c> names where the spec came from, for messages.
    /// </summary>
    public static (ExpandedSpec Spec, string Origin) Resolve(string pathOrName)
    {
        if (File.Exists(pathOrName) || new FileInfo(pathOrName).LinkTarget is not null)
            return (Expand(pathOrName), pathOrName);
        string relative = pathOrName.Replace('\\', '/');
        bool isName = !relative.Contains('/', StringComparison.Ordinal);
        string name = isName ? StripExtension(relative) : "";
        foreach (var (file, spec) in EmbeddedSpecs.All())
        {
            if (isName ? spec.Name == name : file == relative)
                return (spec, $"{file} (compiled into this build)");
        }

        if (!isName)
            return (Expand(pathOrName), pathOrName); // "spec file not found"
        throw new FileNotFoundException(
            $"{pathOrName}: no such spec file, and no spec of that name is compiled into this build; give a spec file or one of {string.Join(", ", CompiledNames())}");
    }

    /// <summary>The names of the specs compiled into this build, as <c>--spec</c> accepts them.</summary>
    public static IReadOnlyList<string> CompiledNames() =>
        EmbeddedSpecs.All().Select(s => s.Spec.Name).Where(NetworkRegistry.IsCompiled).Order(StringComparer.Ordinal).ToList();

    public static ExpandedSpec Expand(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: spec file not found");
        string text = Read(path, problem => new SpecFileException($"{path}: {problem}"));
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string? refused = null;
        FrontEndResult result = SpecFrontEnd.Expand(path, text, relative =>
        {
            string parent = Path.GetFullPath(Path.Combine(folder, relative));
            if (!File.Exists(parent) && new FileInfo(parent).LinkTarget is null)
                return null; // the front end reports it: "extends: file '…' not found"
            string? problem = ParentProblem(parent, folder);
            if (problem is null)
                return Read(parent, p => new SpecFileException($"{path}: extends {parent}: {p}"));
            refused ??= $"{path}: extends {parent}: {problem}";
            return null;
        });
        if (refused is not null)
            throw new SpecFileException(refused);
        SpecDiagnostic? error = result.Diagnostics.FirstOrDefault(d => d.Severity == Severity.Error);
        if (result.Spec is null)
        {
            string message = error is null ? $"{path}: declares no network (abstract spec?)"
                : error.Location.Path.Length == 0 ? $"{path}{error}" : error.ToString();
            throw new SpecFileException(message);
        }

        return result.Spec;
    }

    private static string StripExtension(string name) =>
        name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ? name[..^5]
        : name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;

    /// <summary>The file as UTF-8 text without its byte-order mark, as the build reads an AdditionalFile.</summary>
    private static string Read(string path, Func<string, Exception> error) =>
        System.Text.Encoding.UTF8.GetString(UntrustedFile.ReadAll(path, MaxBytes, error)).TrimStart('\uFEFF');

    /// <summary>Why a file named by <c>extends</c> may not be read (the link's target must pass too), or null.</summary>
    private static string? ParentProblem(string parent, string rootFolder)
    {
        string target = File.ResolveLinkTarget(parent, returnFinalTarget: true)?.FullName ?? parent;
        foreach (string candidate in new[] { parent, target }.Distinct())
        {
            if (!candidate.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !candidate.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                return $"{(candidate == parent ? "" : $"links to {candidate}, ")}not a .yaml/.yml spec file";
            if (!IsUnder(candidate, rootFolder) && !InSpecsFolder(candidate))
                return $"{(candidate == parent ? "" : $"links to {candidate}, ")}outside the spec's folder ({rootFolder}) and not in a folder named specs, where the build looks for specs";
        }

        return UntrustedFile.Problem(target, MaxBytes);
    }

    private static bool IsUnder(string file, string folder) =>
        file.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static bool InSpecsFolder(string file) =>
        Path.GetDirectoryName(file)!.Split(Path.DirectorySeparatorChar).Any(f => f.Equals("specs", StringComparison.OrdinalIgnoreCase));
}

/// <summary>A spec file that does not compile; the message is the first diagnostic with its file, line and column.</summary>
public sealed class SpecFileException(string message) : Exception(message);
