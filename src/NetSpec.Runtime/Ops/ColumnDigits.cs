namespace NetSpec.Runtime.Ops;

/// <summary>
/// An im2col column index i = ((((Image·C + C)·R + R)·S + S)·P + Op)·Q + Oq as its mixed-radix digits, so that a kernel
/// thread can step through its grid-stride indices by adding digits (a compare and a subtract each) instead of dividing.
/// </summary>
internal readonly record struct ColumnDigits(int Image, int C, int R, int S, int Op, int Oq)
{
    /// <summary>The digits of <paramref name="i"/> (six 32-bit divisions).</summary>
    public static ColumnDigits Of(int i, int p, int q, int channels, ConvGeometry g)
    {
        int oq = i % q;
        int rest = i / q;
        int op = rest % p;
        rest /= p;
        int s = rest % g.KernelW;
        rest /= g.KernelW;
        int r = rest % g.KernelH;
        rest /= g.KernelH;
        return new ColumnDigits(rest / channels, rest % channels, r, s, op, oq);
    }

    /// <summary>
    /// this + d, digit by digit from the lowest, each carry at most one (both digits below their radix); the image digit
    /// is not wrapped (the caller stops at the column count).
    /// </summary>
    public ColumnDigits Add(ColumnDigits d, int p, int q, int channels, ConvGeometry g)
    {
        int oq = Oq + d.Oq;
        int carry = oq >= q ? 1 : 0;
        oq -= carry * q;
        int op = Op + d.Op + carry;
        carry = op >= p ? 1 : 0;
        op -= carry * p;
        int s = S + d.S + carry;
        carry = s >= g.KernelW ? 1 : 0;
        s -= carry * g.KernelW;
        int r = R + d.R + carry;
        carry = r >= g.KernelH ? 1 : 0;
        r -= carry * g.KernelH;
        int c = C + d.C + carry;
        carry = c >= channels ? 1 : 0;
        c -= carry * channels;
        return new ColumnDigits(Image + d.Image + carry, c, r, s, op, oq);
    }
}
