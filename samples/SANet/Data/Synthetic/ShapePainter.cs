namespace NetSpec.Samples.SANet.Data.Synthetic;

/// <summary>
/// One object instance: its class, where it is, how big, and its two texture colours. <see cref="Covers"/>
/// says whether a pixel belongs to the shape and <see cref="Texture"/> which of the two colours it takes.
/// </summary>
internal sealed record ShapeInstance(
    int ClassId, double Cx, double Cy, double Size, double Angle, double Period,
    (byte R, byte G, byte B) Primary, (byte R, byte G, byte B) Secondary)
{
    public bool Covers(double x, double y)
    {
        (double u, double v) = Local(x, y);
        double r = Math.Sqrt((u * u) + (v * v));
        return ClassId switch
        {
            ShapeKind.StripedDisc => r <= Size,
            ShapeKind.CheckeredSquare => Math.Abs(u) <= Size * 0.85 && Math.Abs(v) <= Size * 0.85,
            ShapeKind.DottedTriangle => InTriangle(u, v),
            ShapeKind.Ring => r <= Size && r >= Size * 0.55,
            ShapeKind.Cross => (Math.Abs(u) <= Size && Math.Abs(v) <= Size * 0.3) || (Math.Abs(v) <= Size && Math.Abs(u) <= Size * 0.3),
            _ => false,
        };
    }

    /// <summary>True where the pixel takes the primary colour, false for the secondary.</summary>
    public bool Texture(double x, double y)
    {
        (double u, double v) = Local(x, y);
        return ClassId switch
        {
            ShapeKind.StripedDisc => Mod(u / Period, 2) < 1,
            ShapeKind.CheckeredSquare => (Math.Floor(u / Period) + Math.Floor(v / Period)) % 2 == 0,
            ShapeKind.DottedTriangle => Dot(u, v),
            ShapeKind.Ring => true,
            ShapeKind.Cross => Mod((u + v) / Period, 2) < 1.4,
            _ => true,
        };
    }

    private (double U, double V) Local(double x, double y)
    {
        double dx = x - Cx, dy = y - Cy;
        double c = Math.Cos(Angle), s = Math.Sin(Angle);
        return ((c * dx) + (s * dy), (-s * dx) + (c * dy));
    }

    private bool InTriangle(double u, double v)
    {
        // Equilateral triangle with circumradius Size, apex up.
        double top = -Size, bottom = Size * 0.5;
        if (v < top || v > bottom)
            return false;
        double halfWidth = (v - top) / (bottom - top) * Size * 0.866;
        return Math.Abs(u) <= halfWidth;
    }

    private bool Dot(double u, double v)
    {
        double cu = Mod(u, Period) - (Period / 2), cv = Mod(v, Period) - (Period / 2);
        return (cu * cu) + (cv * cv) <= Period * Period * 0.09;
    }

    private static double Mod(double a, double m) => a - (m * Math.Floor(a / m));
}
