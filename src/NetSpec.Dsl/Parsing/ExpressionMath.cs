using System;
using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Diagnostics;

namespace NetSpec.Dsl.Parsing;

/// <summary>The operators of <see cref="Expression"/>: ints stay ints (division floors), an int with a float gives a float.</summary>
internal static class ExpressionMath
{
    public static object Arithmetic(Token op, Value a, Value b)
    {
        if (a.Data is long x && b.Data is long y)
        {
            checked
            {
                try
                {
                    return op.Text switch
                    {
                        "+" => x + y,
                        "-" => x - y,
                        "*" => x * y,
                        "/" => y == 0 ? throw Error(op, "division by zero") : FloorDiv(x, y),
                        _ => y == 0 ? throw Error(op, "division by zero") : ((x % y) + y) % y,
                    };
                }
                catch (OverflowException)
                {
                    throw Error(op, "integer overflow");
                }
            }
        }

        double p = Number(op, a), q = Number(op, b);
        double r = op.Text switch
        {
            "+" => p + q,
            "-" => p - q,
            "*" => p * q,
            "/" => q == 0 ? throw Error(op, "division by zero") : p / q,
            _ => q == 0 ? throw Error(op, "division by zero") : p % q,
        };
        return double.IsInfinity(r) || double.IsNaN(r) ? throw Error(op, "result is not a finite number") : r;
    }

    public static object Negate(Token op, Value a) => a.Data switch
    {
        long l when l != long.MinValue => (object)(-l),
        double d => (object)(-d),
        _ => throw Error(op, $"cannot negate {a.TypeName} {a}"),
    };

    public static bool Compare(Token op, Value a, Value b)
    {
        if (op.Text is "==" or "!=")
        {
            bool equal = (a.Data is long or double) && (b.Data is long or double)
                ? Number(op, a) == Number(op, b)
                : a.ToString() == b.ToString();
            return op.Text == "==" ? equal : !equal;
        }

        double x = Number(op, a), y = Number(op, b);
        return op.Text switch
        {
            "<" => x < y,
            "<=" => x <= y,
            ">" => x > y,
            _ => x >= y,
        };
    }

    public static object MinMax(Token name, List<Value> args)
    {
        if (args.All(a => a.Data is long))
            return name.Text == "min" ? args.Min(a => (long)a.Data) : args.Max(a => (long)a.Data);
        return name.Text == "min" ? args.Min(a => Number(name, a)) : args.Max(a => Number(name, a));
    }

    private static long FloorDiv(long x, long y)
    {
        long q = x / y;
        return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
    }

    private static double Number(Token op, Value v) => v.Data switch
    {
        long l => l,
        double d => d,
        _ => throw Error(op, $"'{op.Text}' needs numbers, got {v.TypeName} '{v}'"),
    };

    private static ExpressionError Error(Token op, string message) =>
        new(DiagnosticCatalog.BadValue, message, op.Offset, Math.Max(1, op.Text.Length));
}
