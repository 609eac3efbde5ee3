using System.Security.Cryptography;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// The SHA-256 (lower-case hex) of a spec's text: the file --spec named, as read, or — for a spec given by name or the default —
/// the text compiled into this build (its embedded resource, SANet.csproj). Parents named by <c>extends</c>
/// are not included: the hash tells whether the file itself changed.
/// </summary>
public static class SpecHash
{
    /// <param name="specOption">--spec: a file, or the name of a spec compiled into this build (null: the default).</param>
    /// <param name="specName">The spec that option resolved to.</param>
    public static string Of(string? specOption, string specName)
    {
        byte[] text = specOption is not null && File.Exists(specOption)
            ? UntrustedFile.ReadAll(specOption, SpecFile.MaxBytes, problem => new SpecFileException($"{specOption}: {problem}"))
            : Embedded(EmbeddedSpecs.FindWithPath(specName)?.Path ?? $"specs/{specName}.yaml");
        return Convert.ToHexStringLower(SHA256.HashData(text));
    }

    private static byte[] Embedded(string resource)
    {
        using Stream stream = typeof(EmbeddedSpecs).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource}: not embedded in this build (SANet.csproj)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
