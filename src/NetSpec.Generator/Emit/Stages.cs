using System.Collections.Generic;
using System.Linq;

namespace NetSpec.Generator.Emit;

/// <summary>Network stages: runs of consecutive steps sharing the first two parts of their name (<c>backbone.layer1</c>).</summary>
internal static class Stages
{
    public static List<(string Method, List<T> Steps)> Group<T>(IEnumerable<T> steps, System.Func<T, string> name)
    {
        var stages = new List<(string Method, List<T> Steps)>();
        var used = new HashSet<string>();
        string? current = null;
        foreach (T step in steps)
        {
            string key = string.Join(".", name(step).Split('.').Take(2));
            if (key != current)
            {
                string method = Names.Pascal(key);
                string unique = method;
                for (int i = 2; !used.Add(unique); i++)
                    unique = method + i;
                stages.Add((unique, new List<T>()));
                current = key;
            }

            stages[stages.Count - 1].Steps.Add(step);
        }

        return stages;
    }
}
