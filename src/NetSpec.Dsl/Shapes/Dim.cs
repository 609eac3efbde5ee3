using System;
using System.Collections.Generic;

namespace NetSpec.Dsl.Shapes;

/// <summary>
/// One dimension of a tensor: a constant, or <c>floor((S + Offset) / Divisor)</c> of one size symbol S (N, H or W).
/// Conv and pool output formulas compose into this form exactly (nested floor divisions merge), so two dims
/// are equal for every input size exactly when their records are equal.
/// </summary>
public sealed record Dim(string? Symbol, long Offset, long Divisor)
{
    public static Dim Const(long value) => new(null, value, 1);

    public static Dim Sym(string symbol) => new(symbol, 0, 1);

    public bool IsConst => Symbol is null;

    /// <summary>floor((this + add) / divide), kept in canonical form.</summary>
    public Dim FloorDiv(long add, long divide)
    {
        if (IsConst)
            return Const(FloorDivide(checked(Offset + add), divide));
        // floor((floor((S + a) / d) + b) / e) = floor((S + a + b·d) / (d·e))
        return new Dim(Symbol, checked(Offset + (add * Divisor)), checked(Divisor * divide));
    }

    /// <summary>Conv/pool output size: floor((x + 2p − d(k−1) − 1) / s) + 1 (PyTorch, floor mode).</summary>
    public Dim Window(int kernel, int stride, int pad, int dilation) =>
        FloorDiv(2L * pad - (long)dilation * (kernel - 1) - 1 + stride, stride);

    public long Eval(IReadOnlyDictionary<string, int> sizes)
    {
        if (IsConst)
            return Offset;
        if (!sizes.TryGetValue(Symbol!, out int s))
            throw new ArgumentException($"no value for size symbol '{Symbol}'");
        return FloorDivide(checked(s + Offset), Divisor);
    }

    /// <summary>Readable form: 256, H, H/8 (floor), ⌈H/4⌉, (H+1)/2.</summary>
    public override string ToString()
    {
        if (IsConst)
            return Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Divisor == 1)
            return Offset == 0 ? Symbol! : $"{Symbol}{Signed(Offset)}";
        if (Offset == 0)
            return $"{Symbol}/{Divisor}";
        if (Offset == Divisor - 1)
            return $"⌈{Symbol}/{Divisor}⌉";
        return $"({Symbol}{Signed(Offset)})/{Divisor}";
    }

    /// <summary>C# expression over int locals named by <paramref name="symbol"/> (floor division; sizes are checked positive).</summary>
    public string ToCSharp(Func<string, string> symbol)
    {
        if (IsConst)
            return Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string s = symbol(Symbol!);
        string sum = Offset == 0 ? s : $"{s} {(Offset > 0 ? "+" : "-")} {Math.Abs(Offset)}";
        if (Divisor == 1)
            return sum;
        return Offset == 0 ? $"{s} / {Divisor}" : $"({sum}) / {Divisor}";
    }

    private static string Signed(long v) => v >= 0 ? $"+{v}" : v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static long FloorDivide(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
