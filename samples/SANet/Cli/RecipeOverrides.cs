using System.Globalization;

namespace NetSpec.Samples.SANet.Cli;

/// <summary>Parses --set key=value pairs; an unknown key or a bad value is a usage error naming it.</summary>
public sealed class RecipeOverrides
{
    public static readonly string[] Keys = ["momentum", "weight-decay", "power", "scale-min", "scale-max", "flip", "checkpoint-every", "stop-after", "val-limit"];

    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public RecipeOverrides(IEnumerable<string> pairs)
    {
        foreach (string pair in pairs)
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = eq > 0 ? pair[..eq].Trim() : "";
            if (!Keys.Contains(key))
                throw new UsageException($"--set {pair}: expected KEY=VALUE with KEY one of {string.Join(", ", Keys)}");
            values[key] = pair[(eq + 1)..].Trim();
        }
    }

    /// <summary>Whether --set gave <paramref name="key"/>.</summary>
    public bool Has(string key) => values.ContainsKey(key);

    public double Double(string key, double fallback) => Get(key, fallback, s => double.Parse(s, CultureInfo.InvariantCulture));

    public long Long(string key, long fallback) => Get(key, fallback, s => long.Parse(s, CultureInfo.InvariantCulture));

    public bool Bool(string key, bool fallback) => Get(key, fallback, bool.Parse);

    private static string Kind<T>() => typeof(T) == typeof(long) ? "whole number" : typeof(T) == typeof(bool) ? "true/false" : "number";

    private T Get<T>(string key, T fallback, Func<string, T> parse)
    {
        if (!values.TryGetValue(key, out string? text))
            return fallback;
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"--set {key}={text}: not a valid {Kind<T>()}");
        }
    }
}
