using System;
using System.Collections.Generic;
using System.Linq;

namespace NetSpec.Dsl.Diagnostics;

/// <summary>" Did you mean 'kernel'?" for a misspelt name: the closest candidates by edit distance (a swap of two letters counts one).</summary>
internal static class Suggestion
{
    public static string For(string name, IEnumerable<string> candidates)
    {
        int limit = Math.Max(1, name.Length / 3);
        var scored = candidates.Distinct().Select(c => (Name: c, Distance: Distance(name, c)))
            .Where(c => c.Distance > 0 && c.Distance <= limit).ToList();
        if (scored.Count == 0)
            return "";
        int best = scored.Min(c => c.Distance);
        return $" Did you mean {string.Join(" or ", scored.Where(c => c.Distance == best).Select(c => $"'{c.Name}'"))}?";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 8)
            return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }

        return d[a.Length, b.Length];
    }
}
