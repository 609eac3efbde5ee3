namespace NetSpec.Samples.SANet.Data;

/// <summary>A count with its noun in the right number: "1 image", "4 images".</summary>
public static class Counted
{
    public static string Of(long count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
