using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Parsing;

/// <summary>
/// Evaluates a scalar that contains <c>$</c>: integer/float arithmetic (<c>+ - * / %</c>, integer
/// division floors), comparisons, <c>and or not</c>, <c>c ? a : b</c>, <c>min()</c>/<c>max()</c>,
/// <c>$name</c> variables, numbers, true/false and bare words or quoted text as strings.
/// Errors point at the offending part of the scalar.
/// </summary>
internal sealed class Expression
{
    private readonly YScalar scalar;
    private readonly Func<string, Value?> lookup;
    private readonly Func<IEnumerable<string>> known;
    private readonly List<Token> tokens;
    private int pos;

    private Expression(YScalar scalar, Func<string, Value?> lookup, Func<IEnumerable<string>> known)
    {
        this.scalar = scalar;
        this.lookup = lookup;
        this.known = known;
        tokens = ExpressionLexer.Lex(scalar.Value);
        if (tokens.Count > MaxTokens)
            throw new ExpressionError(DiagnosticCatalog.BadExpression, $"longer than {MaxTokens} tokens", 0, scalar.Value.Length);
        foreach (Token t in tokens)
            if (t.Kind == TokenKind.Variable)
                lookup(t.Text); // a branch not taken still counts as a use of its variables

    }

    private const int MaxTokens = 200;

    public static bool IsExpression(YScalar s) => s.Value.IndexOf('$') >= 0;

    /// <summary>The value, or null after reporting why not.</summary>
    public static Value? Evaluate(YScalar s, Func<string, Value?> lookup, Func<IEnumerable<string>> known, DiagnosticBag diagnostics)
    {
        try
        {
            var e = new Expression(s, lookup, known);
            Func<Value> tree = e.Ternary();
            if (e.Peek.Kind != TokenKind.End)
                throw e.Syntax(e.Peek, $"unexpected '{e.Peek.Text}'");
            return tree();
        }
        catch (ExpressionError error) when (error.Rule is null)
        {
            return null;
        }
        catch (ExpressionError error)
        {
            SourceLocation at = s.Location;
            if (at.Length >= s.Value.Length && error.Offset >= 0)
                at = new SourceLocation(at.Path, at.Line, at.Column + (s.Quoted ? 1 : 0) + error.Offset, Math.Max(1, error.Length));
            object[] args = error.Rule == DiagnosticCatalog.BadValue ? new object[] { error.Message } :
                error.Rule == DiagnosticCatalog.UnknownVariable ? new object[] { error.Message, string.Join(", ", known().Select(v => "$" + v).DefaultIfEmpty("(none)")), Suggestion.For(error.Message, known()) } :
                new object[] { s.Value, error.Message };
            diagnostics.Report(error.Rule!, at, args);
            return null;
        }
    }

    private Token Peek => tokens[pos];

    private Token Take() => tokens[pos++];

    private bool TakeIf(params string[] texts)
    {
        foreach (string t in texts)
            if ((Peek.Kind == TokenKind.Operator || Peek.Kind == TokenKind.Word) && Peek.Text == t)
            {
                pos++;
                return true;
            }

        return false;
    }

    private Func<Value> Ternary()
    {
        Token at = Peek;
        Func<Value> cond = Or();
        if (!TakeIf("?"))
            return cond;
        Func<Value> yes = Ternary();
        if (!TakeIf(":"))
            throw Syntax(Peek, "expected ':' of 'c ? a : b'");
        Func<Value> no = Ternary();
        return () => Bool(cond(), at) ? yes() : no();
    }

    private Func<Value> Or()
    {
        Func<Value> left = And();
        while (true)
        {
            Token at = Peek;
            if (!TakeIf("or", "||"))
                return left;
            Func<Value> l = left, r = And();
            left = () => Make(Bool(l(), at) || Bool(r(), at));
        }
    }

    private Func<Value> And()
    {
        Func<Value> left = Not();
        while (true)
        {
            Token at = Peek;
            if (!TakeIf("and", "&&"))
                return left;
            Func<Value> l = left, r = Not();
            left = () => Make(Bool(l(), at) && Bool(r(), at));
        }
    }

    private Func<Value> Not()
    {
        Token at = Peek;
        if (TakeIf("not", "!"))
        {
            Func<Value> inner = Not();
            return () => Make(!Bool(inner(), at));
        }

        return Comparison();
    }

    private Func<Value> Comparison()
    {
        Func<Value> left = Sum();
        Token op = Peek;
        if (!TakeIf("==", "!=", "<=", ">=", "<", ">"))
            return left;
        Func<Value> right = Sum();
        return () => Make(ExpressionMath.Compare(op, left(), right()));
    }

    private Func<Value> Sum()
    {
        Func<Value> left = Product();
        while (true)
        {
            Token op = Peek;
            if (!TakeIf("+", "-"))
                return left;
            Func<Value> l = left, r = Product();
            left = () => Make(ExpressionMath.Arithmetic(op, l(), r()));
        }
    }

    private Func<Value> Product()
    {
        Func<Value> left = Unary();
        while (true)
        {
            Token op = Peek;
            if (!TakeIf("*", "/", "%"))
                return left;
            Func<Value> l = left, r = Unary();
            left = () => Make(ExpressionMath.Arithmetic(op, l(), r()));
        }
    }

    private Func<Value> Unary()
    {
        Token op = Peek;
        if (!TakeIf("-"))
            return Primary();
        Func<Value> inner = Unary();
        return () => Make(ExpressionMath.Negate(op, inner()));
    }

    private Func<Value> Primary()
    {
        Token t = Take();
        switch (t.Kind)
        {
            case TokenKind.Number:
                object number = long.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long l) ? (object)l :
                    double.TryParse(t.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? (object)d :
                    throw Syntax(t, $"'{t.Text}' is not a number");
                return () => Make(number);
            case TokenKind.Variable:
                return () => lookup(t.Text) is Value v
                    ? (ReferenceEquals(v, Value.Poison) ? throw new ExpressionError(null, "", 0, 0) : v)
                    : throw new ExpressionError(DiagnosticCatalog.UnknownVariable, t.Text, t.Offset, t.Text.Length + 1);
            case TokenKind.Text:
                return () => Make(t.Text);
            case TokenKind.Word when Peek.Text == "(":
                return Call(t);
            case TokenKind.Word when t.Text is "true" or "false":
                return () => Make(t.Text == "true");
            case TokenKind.Word:
                return () => Make(t.Text);
            case TokenKind.Operator when t.Text == "(":
                Func<Value> inner = Ternary();
                if (!TakeIf(")"))
                    throw Syntax(Peek, "expected ')'");
                return inner;
            default:
                throw Syntax(t, t.Kind == TokenKind.End ? "the expression ends too early" : $"unexpected '{t.Text}'");
        }
    }

    private Func<Value> Call(Token name)
    {
        if (name.Text is not ("min" or "max"))
            throw Syntax(name, $"unknown function '{name.Text}' (functions: min, max)");
        Take();
        var args = new List<Func<Value>> { Ternary() };
        while (TakeIf(","))
            args.Add(Ternary());
        if (!TakeIf(")"))
            throw Syntax(Peek, "expected ')'");
        return () => Make(ExpressionMath.MinMax(name, args.ConvertAll(a => a())));
    }

    private bool Bool(Value v, Token at) => v.Data is bool b ? b :
        throw new ExpressionError(DiagnosticCatalog.BadValue, $"'{at.Text}' needs true or false, got {v.TypeName} {v}", at.Offset, at.Text.Length);

    private Value Make(object data) => new(data, scalar.Location);

    private ExpressionError Syntax(Token t, string message) =>
        new(DiagnosticCatalog.BadExpression, message, t.Offset, Math.Max(1, t.Text.Length));
}
