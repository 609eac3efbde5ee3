using System.Globalization;

namespace NetSpec.Dsl.Model;

/// <summary>
/// The grammar of the two spec strings the generator turns into C# text besides node names: the spec name (a
/// string literal and comment text: <c>sanet-r50</c>) and the class name (an identifier: <c>SanetR50</c>). Both
/// are ASCII only, so no look-alike, escape or line break can reach generated code; class names start with an
/// upper-case letter, so no C# keyword is one.
/// </summary>
public static class SpecNames
{
    public const int MaxLength = 64;

    public const string SpecNameRule = "a spec name is an ASCII letter followed by ASCII letters, digits, '_', '-' or '.', at most 64 characters";

    public const string ClassNameRule = "class: is a C# class name: an upper-case ASCII letter followed by ASCII letters, digits or '_', at most 64 characters";

    /// <summary>What is wrong with <paramref name="name"/> as a spec name, or null when it is valid.</summary>
    public static string? SpecNameProblem(string name) =>
        Problem(name, first: c => IsAsciiLetter(c), rest: c => IsAsciiLetter(c) || IsDigit(c) || c is '_' or '-' or '.', "an ASCII letter");

    /// <summary>What is wrong with <paramref name="name"/> as a class name, or null when it is valid.</summary>
    public static string? ClassNameProblem(string name) =>
        Problem(name, first: c => c is >= 'A' and <= 'Z', rest: c => IsAsciiLetter(c) || IsDigit(c) || c == '_', "an upper-case ASCII letter");

    private static string? Problem(string name, System.Func<char, bool> first, System.Func<char, bool> rest, string start)
    {
        if (name.Length == 0)
            return "it is empty";
        if (name.Length > MaxLength)
            return string.Format(CultureInfo.InvariantCulture, "it has {0} characters, more than {1}", name.Length, MaxLength);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i == 0 ? !first(c) : !rest(c))
                return i == 0 && rest(c)
                    ? $"it starts with '{c}', not {start}"
                    : string.Format(CultureInfo.InvariantCulture, "character {0} (U+{1:X4}) is not allowed", Printable(c), (int)c);
        }

        return null;
    }

    private static bool IsAsciiLetter(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? "" : $"'{c}'";
}
