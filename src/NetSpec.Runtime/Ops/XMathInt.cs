namespace NetSpec.Runtime.Ops;

/// <summary>Integer division rounding toward −∞ / +∞ (C# '/' truncates toward zero); usable inside kernels.</summary>
internal static class XMathInt
{
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    public static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
}
