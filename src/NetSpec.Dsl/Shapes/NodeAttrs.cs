using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Shapes;

/// <summary>Typed reads of an op's canonical attribute strings, falling back to the catalogue's defaults.</summary>
public static class NodeAttrs
{
    public static string? Raw(OpNode node, string key)
    {
        string? value = node.Get(key);
        if (value is not null)
            return value;
        return OpCatalog.Find(node.Op)?.Attrs.FirstOrDefault(a => a.Name == key)?.Default;
    }

    public static int Int(OpNode node, string key, int fallback = 0) =>
        Raw(node, key) is string s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;

    public static double Float(OpNode node, string key, double fallback = 0) =>
        Raw(node, key) is string s && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : fallback;

    public static bool Bool(OpNode node, string key, bool fallback = false) =>
        Raw(node, key) is string s ? s == "true" : fallback;

    /// <summary>"3" → (3,3); "3,5" → (3,5); missing → <paramref name="fallback"/>.</summary>
    public static (int H, int W) Pair(OpNode node, string key, (int, int) fallback)
    {
        string? s = Raw(node, key);
        if (s is null)
            return fallback;
        string[] parts = s.Split(',');
        bool ok = int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int h);
        int w = h;
        if (parts.Length > 1)
            ok &= int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out w);
        return ok ? (h, w) : fallback;
    }

    /// <summary>The location of attribute <paramref name="key"/>'s value, or the node's when it was not written.</summary>
    public static SourceLocation Where(OpNode node, string key)
    {
        foreach (Attr a in node.Attrs)
            if (a.Key == key)
                return a.Location;
        return node.Location;
    }

    public static ConvGeometry Conv(OpNode node)
    {
        (int kh, int kw) = Pair(node, "kernel", (1, 1));
        (int sh, int sw) = Pair(node, "stride", (1, 1));
        (int ph, int pw) = Pair(node, "padding", (0, 0));
        (int dh, int dw) = Pair(node, "dilation", (1, 1));
        return new ConvGeometry(kh, kw, sh, sw, ph, pw, dh, dw, Int(node, "groups", 1));
    }

    public static ConvGeometry Pool(OpNode node)
    {
        (int kh, int kw) = Pair(node, "kernel", (1, 1));
        (int sh, int sw) = Pair(node, "stride", (kh, kw));
        (int ph, int pw) = Pair(node, "padding", (0, 0));
        return new ConvGeometry(kh, kw, sh, sw, ph, pw, 1, 1, 1);
    }
}

/// <summary>Window geometry of a conv or pool (pools have dilation 1 and one group).</summary>
public sealed record ConvGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW, int Groups);
