using NetSpec.Dsl;

namespace NetSpec.Dsl.Tests;

/// <summary>The repository's specs/*.yaml, copied next to the test assembly, and a resolver over them.</summary>
internal static class SpecFiles
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "specs");

    public static string Text(string file) => File.ReadAllText(Path.Combine(Folder, file));

    public static string? Resolve(string relative)
    {
        string path = Path.Combine(Folder, relative);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public static FrontEndResult Expand(string file) => SpecFrontEnd.Expand("specs/" + file, Text(file), Resolve);

    /// <summary>Expands <paramref name="text"/> as specs/test.yaml, with the real specs available to extends.</summary>
    public static FrontEndResult ExpandText(string text, string file = "test.yaml") => SpecFrontEnd.Expand("specs/" + file, text, Resolve);
}
