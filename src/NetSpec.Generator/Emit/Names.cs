using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace NetSpec.Generator.Emit;

/// <summary>C# names from spec names: fields keep the spec's words (<c>backbone.layer1.0.conv1</c> → <c>backbone_layer1_0_conv1</c>).</summary>
internal static class Names
{
    public static string Field(string specName)
    {
        var b = new StringBuilder();
        foreach (char c in specName)
            b.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        string name = b.Length == 0 || char.IsDigit(b[0]) ? "_" + b : b.ToString();
        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
    }

    public static string Gradient(string tensor) => "d_" + Field(tensor).TrimStart('@');

    /// <summary><c>backbone.layer1</c> → <c>BackboneLayer1</c>.</summary>
    public static string Pascal(string specName) =>
        string.Concat(specName.Split('.', '_', '-', ' ').Where(p => p.Length > 0)
            .Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));

    public static string Float(double v)
    {
        string s = ((float)v).ToString("R", CultureInfo.InvariantCulture);
        return (s.Contains(".") || s.Contains("E") ? s : s + ".0") + "f";
    }

    public static string Bool(bool v) => v ? "true" : "false";

    /// <summary>FNV-1a 64 of a name: a fixed per-node salt for dropout seeds.</summary>
    public static ulong Salt(string name)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in name)
        {
            h ^= c;
            h *= 1099511628211UL;
        }

        return h;
    }
}
