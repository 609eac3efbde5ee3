using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace NetSpec.Generator.Emit;

/// <summary>
/// The one way text from a spec enters generated C# other than as an identifier: as a string literal, inside an
/// interpolated string, in a <c>//</c> comment or in a <c>///</c> doc comment. Spec names are validated before
/// (docs/diagnostics.md, NS0023, NS0025); escaping here keeps generated code well-formed for any string.
/// </summary>
internal static class CSharpText
{
    /// <summary>A regular string literal, quotes included: <c>"a\"b"</c>.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>
    /// Text inside <c>$"…"</c>: escaped as in a literal (quotes included: FormatLiteral escapes <c>"</c> only when it
    /// adds the quotes, so they are added and cut off), and <c>{</c>, <c>}</c> doubled so nothing is interpolated.
    /// </summary>
    public static string Interpolated(string text)
    {
        string literal = Literal(text);
        return literal.Substring(1, literal.Length - 2).Replace("{", "{{").Replace("}", "}}");
    }

    /// <summary>Text for a <c>//</c> comment: one line (line breaks and other control characters escaped as <c>\uXXXX</c>), no <c>*/</c>.</summary>
    public static string Comment(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029')
                b.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else
                b.Append(c);
        }

        return b.Replace("*/", "*\\/").ToString();
    }

    /// <summary>Text for a <c>///</c> doc comment: a <see cref="Comment"/> with XML's <c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c> escaped.</summary>
    public static string DocComment(string text) =>
        Comment(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
