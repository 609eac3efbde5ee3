using System.Runtime.CompilerServices;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// The expanded small specs, one line per node, compared with Golden/*.txt so that a change of the
/// front end or the specs shows as a readable diff. NETSPEC_ACCEPT=1 rewrites the files.
/// </summary>
public class GoldenTests
{
    [Theory]
    [InlineData("sanet-tiny.yaml")]
    [InlineData("sanet-tiny-se.yaml")]
    [InlineData("fcn-tiny.yaml")]
    public void Expansion_matches_the_golden_file(string file)
    {
        ExpandedSpec s = SpecFiles.Expand(file).Spec!;
        string actual = string.Join("\n", Describe(s)) + "\n";
        string path = Path.Combine(SourceFolder(), "Golden", Path.ChangeExtension(file, ".txt"));
        if (Environment.GetEnvironmentVariable("NETSPEC_ACCEPT") == "1")
            File.WriteAllText(path, actual);
        Assert.True(File.Exists(path), $"No golden file {path}; run with NETSPEC_ACCEPT=1 and review it");
        string[] expected = File.ReadAllText(path).Split('\n'), lines = actual.Split('\n');
        int first = Enumerable.Range(0, Math.Min(expected.Length, lines.Length)).FirstOrDefault(i => expected[i] != lines[i], -1);
        Assert.True(first < 0 && expected.Length == lines.Length,
            first < 0 ? $"Line count {lines.Length} != golden {expected.Length}" : $"Line {first + 1}:\n  golden: {expected[first]}\n  actual: {lines[first]}");
    }

    private static IEnumerable<string> Describe(ExpandedSpec s)
    {
        yield return $"{s.Name} class={s.ClassName} K={s.NumClasses} sizes={string.Join(",", s.DefaultSizes.Select(z => $"{z.Symbol}={z.Value}"))}";
        foreach (InputDecl i in s.Inputs)
            yield return $"input {i.Name} {i.Kind} [{string.Join(",", i.Dims)}] ignore={i.IgnoreLabel}";
        foreach (OpNode n in s.Nodes)
            yield return $"{n.Name} = {n.Op}({string.Join(", ", n.Inputs)}) {string.Join(" ", n.Attrs.Select(a => $"{a.Key}={a.Value}"))}"
                .TrimEnd() + $"  [{n.ParamGroup}{(n.TrainOnly ? ", train" : "")}]";
        foreach (OutputDecl o in s.Outputs)
            yield return $"output {o.Name} = {o.Tensor}";
        foreach (LossDecl l in s.Losses)
            yield return $"loss {l.Name} = {l.Weight} * {l.Node}";
        foreach (ParamGroupDecl g in s.Groups)
            yield return $"group {g.Name} lr x{g.LrMult} decay={g.WeightDecay}";
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
