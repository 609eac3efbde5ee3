using System.Security.Cryptography;
using NetSpec.Samples.SANet.Data;
using NetSpec.Samples.SANet.Networks;

namespace NetSpec.Samples.SANet.Records;

/// <summary>
/// The SHA-256 (lower-case hex) of a spec's text: the file --spec named, as read, or — for the default spec — the text
/// compiled into this build (embedded under <c>specs/NAME.yaml</c>, SANet.csproj). Parents named by <c>extends</c>
/// are not included: the hash tells whether the file itself changed.
/// </summary>
public static class SpecHash
{
    public static string Of(string? specPath)
    {
        byte[] text = specPath is not null
            ? UntrustedFile.ReadAll(specPath, SpecFile.MaxBytes, problem => new SpecFileException($"{specPath}: {problem}"))
            : Embedded($"specs/{SpecFile.DefaultSpec}.yaml");
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
