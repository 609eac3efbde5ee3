using NetSpec.Dsl;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Samples.SANet.Networks;

/// <summary>
/// The spec files this build compiled into its networks, embedded by SANet.csproj under their repository paths
/// (<c>specs/sanet-tiny.yaml</c>, <c>samples/SANet/Specs/…</c>), so that a network's plan can be read before the
/// network is created. <c>extends</c> resolves among them, as in the build.
/// </summary>
public static class EmbeddedSpecs
{
    private static readonly System.Reflection.Assembly Assembly = typeof(EmbeddedSpecs).Assembly;

    /// <summary>The compiled spec named <paramref name="specName"/>, or null (a network registered by a test, say).</summary>
    public static ExpandedSpec? Find(string specName) => FindWithPath(specName)?.Spec;

    /// <summary>As <see cref="Find"/>, with the spec's repository path (<c>specs/sanet-tiny.yaml</c>) for messages.</summary>
    public static (string Path, ExpandedSpec Spec)? FindWithPath(string specName)
    {
        // A spec's name is its file name unless it says otherwise: try that file first.
        foreach (string file in Files().OrderBy(f => PathText.FileName(f) == specName + ".yaml" ? 0 : 1))
        {
            ExpandedSpec? spec = Expand(file);
            if (spec?.Name == specName)
                return (file, spec);
        }

        return null;
    }

    /// <summary>Every embedded spec that declares a network (abstract bases left out), in file order.</summary>
    public static IReadOnlyList<(string Path, ExpandedSpec Spec)> All() =>
        Files().Order(StringComparer.Ordinal).Select(f => (f, Expand(f))).Where(x => x.Item2 is not null).Select(x => (x.f, x.Item2!)).ToList();

    private static string[] Files() => Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)).ToArray();

    private static ExpandedSpec? Expand(string file) =>
        SpecFrontEnd.Expand(file, Text(file)!, relative => Text(PathText.Combine(PathText.Folder(file), relative))).Spec;

    private static string? Text(string resource)
    {
        using Stream? stream = Assembly.GetManifestResourceStream(resource);
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
