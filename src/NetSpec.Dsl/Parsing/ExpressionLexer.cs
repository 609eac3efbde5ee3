using System;
using System.Collections.Generic;
using NetSpec.Dsl.Diagnostics;

namespace NetSpec.Dsl.Parsing;

internal enum TokenKind
{
    Number,
    Variable,
    Word,
    Text,
    Operator,
    End,
}

/// <summary>An expression token; <see cref="Offset"/> is its position in the scalar (for diagnostics).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Offset);

internal sealed class ExpressionError : Exception
{
    public ExpressionError(DiagnosticDescriptor? rule, string message, int offset, int length)
        : base(message)
    {
        Rule = rule;
        Offset = offset;
        Length = length;
    }

    /// <summary>Null when the expression used a value that already failed: nothing more to report.</summary>
    public DiagnosticDescriptor? Rule { get; }

    public int Offset { get; }

    public int Length { get; }
}

internal static class ExpressionLexer
{
    private static readonly string[] Operators = { "==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "(", ")", "?", ":", ",", "!" };

    public static List<Token> Lex(string s)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            int start = i;
            if (char.IsDigit(c) || (c == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '.' ||
                       ((s[i] == '-' || s[i] == '+') && (s[i - 1] == 'e' || s[i - 1] == 'E'))))
                    i++;
                tokens.Add(new Token(TokenKind.Number, s.Substring(start, i - start), start));
            }
            else if (c == '$')
            {
                i++;
                while (i < s.Length && IsWordChar(s[i]))
                    i++;
                if (i == start + 1)
                    throw new ExpressionError(DiagnosticCatalog.BadExpression, "'$' must be followed by a parameter name", start, 1);
                tokens.Add(new Token(TokenKind.Variable, s.Substring(start + 1, i - start - 1), start));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < s.Length && IsWordChar(s[i]))
                    i++;
                tokens.Add(new Token(TokenKind.Word, s.Substring(start, i - start), start));
            }
            else if (c == '\'' || c == '"')
            {
                int end = s.IndexOf(c, i + 1);
                if (end < 0)
                    throw new ExpressionError(DiagnosticCatalog.BadExpression, "unterminated quoted text", start, s.Length - start);
                tokens.Add(new Token(TokenKind.Text, s.Substring(i + 1, end - i - 1), start));
                i = end + 1;
            }
            else
            {
                string? op = Array.Find(Operators, o => string.CompareOrdinal(s, i, o, 0, o.Length) == 0);
                if (op is null)
                    throw new ExpressionError(DiagnosticCatalog.BadExpression, $"unexpected character '{c}'", start, 1);
                tokens.Add(new Token(TokenKind.Operator, op, start));
                i += op.Length;
            }
        }

        tokens.Add(new Token(TokenKind.End, "", s.Length));
        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
