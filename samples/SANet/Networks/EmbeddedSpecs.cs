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
    public static ExpandedSpec? Find(string specName)
    {
        string[] files = Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)).ToArray();
        // A spec's name is its file name unless it says otherwise: try that file first.
        foreach (string file in files.OrderBy(f => PathText.FileName(f) == specName + ".yaml" ? 0 : 1))
        {
            ExpandedSpec? spec = SpecFrontEnd.Expand(file, Text(file)!, relative => Text(PathText.Combine(PathText.Folder(file), relative))).Spec;
            if (spec?.Name == specName)
                return spec;
        }

        return null;
    }

    private static string? Text(string resource)
    {
        using Stream? stream = Assembly.GetManifestResourceStream(resource);
        if (stream is null)
            return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
