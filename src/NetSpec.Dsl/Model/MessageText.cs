using System.Globalization;
using System.Text;

namespace NetSpec.Dsl.Model;

/// <summary>
/// Diagnostic messages are one line: a spec string quoted in a message (a name with a newline, a right-to-left
/// override) is shown escaped (<c>\n</c>, <c>\u202E</c>) and a long one is cut, so no input can forge or hide lines.
/// </summary>
public static class MessageText
{
    /// <summary>Most characters of a spec string a message quotes.</summary>
    public const int MaxQuoted = 64;

    /// <summary>Control, format and separator characters escaped; everything else kept.</summary>
    public static string OneLine(string text)
    {
        StringBuilder? b = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            string? escaped = Escape(c);
            if (escaped is null)
            {
                b?.Append(c);
                continue;
            }

            b ??= new StringBuilder(text, 0, i, text.Length + 8);
            b.Append(escaped);
        }

        return b?.ToString() ?? text;
    }

    /// <summary>A spec string for a message: one line, at most <see cref="MaxQuoted"/> characters (then "…").</summary>
    public static string Quote(string text) =>
        OneLine(text.Length > MaxQuoted ? text.Substring(0, MaxQuoted) + "…" : text);

    private static string? Escape(char c) => c switch
    {
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate
            ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : null,
    };
}
