using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Onnx.Tests.Support;

/// <summary>Spec files compiled at test time (as the exporter's users do): the repository's specs/ and this project's specs/.</summary>
public static class SpecGraphs
{
    public static string RepoRoot { get; } = FindRoot();

    public static string RepoSpec(string name) => Path.Combine(RepoRoot, "specs", name + ".yaml");

    public static string TestSpec(string name) => Path.Combine(AppContext.BaseDirectory, "specs", name + ".yaml");

    public static ExpandedSpec Expand(string path)
    {
        string folder = Path.GetDirectoryName(path)!;
        FrontEndResult front = SpecFrontEnd.Expand(path, File.ReadAllText(path), relative =>
        {
            string parent = Path.Combine(folder, relative);
            return File.Exists(parent) ? File.ReadAllText(parent) : null;
        });
        return front.Spec ?? throw new InvalidOperationException($"{path}: {string.Join("; ", front.Diagnostics)}");
    }

    public static TypedGraph Compile(string path)
    {
        CompileResult result = SpecCompiler.Compile(Expand(path));
        return result.Network?.Graph ?? throw new InvalidOperationException($"{path}: {string.Join("; ", result.Diagnostics)}");
    }

    private static string FindRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "NetSpec.sln")))
                return dir;
        }

        throw new InvalidOperationException("NetSpec.sln not found above " + AppContext.BaseDirectory);
    }
}
