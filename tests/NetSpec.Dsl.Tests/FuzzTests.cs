using System.Diagnostics;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// Random edits of the real specs (delete, duplicate and swap lines, mutate characters, replace scalars,
/// truncate) must never throw nor give an internal error; every failure is a diagnostic located inside a
/// file of the spec chain. Deterministic seed.
/// </summary>
public class FuzzTests
{
    // NETSPEC_FUZZ=iterations,seed runs a longer local campaign; the default is the CI setting.
    private static readonly int[] Setting = (Environment.GetEnvironmentVariable("NETSPEC_FUZZ") ?? "3000,20261126").Split(',').Select(int.Parse).ToArray();
    private static readonly int Iterations = Setting[0];
    private const string Noise = " :{}[],-$#'\"\ta0_9*&!|>%@`";

    private static readonly string[] Replacements =
    {
        "-1", "0", "1", "99999999999999999999", "1e400", "3.5", "true", "~", "[]", "{}", "[1, 2, 3]", "$nope", "$width * ",
        "$width / 0", "'$x'", "\"", "{ op: relu }", "&a x", "*a", "\t", "!!str", "sa", "se", "none", "max(", "image", "label",
    };

    [Fact]
    public void Random_edits_never_crash_and_always_locate_their_errors()
    {
        var random = new Random(Setting[1]);
        string[] files = RealSpecTests.Files.Append("segmentation-base.yaml").ToArray();
        var texts = files.ToDictionary(f => f, SpecFiles.Text);
        var stopwatch = Stopwatch.StartNew();
        int withErrors = 0;
        for (int i = 0; i < Iterations; i++)
        {
            string target = files[random.Next(files.Length)];
            string mutated = Mutate(texts[target], random);
            // The root spec is mutated, or (for the base) a parent that a root extends.
            string root = target == "segmentation-base.yaml" ? "sanet-tiny.yaml" : target;
            Func<string, string?> resolve = rel => rel == target ? mutated : SpecFiles.Resolve(rel);
            FrontEndResult r;
            try
            {
                r = SpecFrontEnd.Expand("specs/" + root, root == target ? mutated : texts[root], resolve);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Iteration {i} ({target}) threw {e}\n--- text ---\n{mutated}");
            }

            Assert.False(r.Diagnostics.Any(d => d.Id == "NS0015"),
                $"Iteration {i} ({target}): internal error {string.Join("\n", r.Diagnostics)}\n--- text ---\n{mutated}");
            if (r.Spec is null)
            {
                Assert.True(r.Diagnostics.Any(d => d.Severity == Severity.Error), $"Iteration {i} ({target}): no spec and no error");
                withErrors++;
            }

            foreach (SpecDiagnostic d in r.Diagnostics)
            {
                Assert.StartsWith("specs/", d.Location.Path);
                string file = d.Location.Path.Substring("specs/".Length);
                Assert.True(file == target || texts.ContainsKey(file), $"Iteration {i}: {d} is in no file of the chain");
                string text = file == target ? mutated : texts[file];
                int lines = text.Split('\n').Length;
                Assert.True(d.Location.Line >= 1 && d.Location.Line <= lines + 1 && d.Location.Column >= 1,
                    $"Iteration {i}: {d} is outside {file} ({lines} lines)");
            }
        }

        Assert.InRange(withErrors, Iterations / 4, Iterations);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(Iterations / 50.0), $"fuzzing took {stopwatch.Elapsed}");
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && lines.Count > 0; e++)
        {
            int at = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0: lines.RemoveAt(at); break;
                case 1: lines.Insert(at, lines[at]); break;
                case 2:
                    int other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    if (lines[at].Length > 0)
                    {
                        char[] chars = lines[at].ToCharArray();
                        chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
                        lines[at] = new string(chars);
                    }

                    break;
                case 4:
                    int colon = lines[at].LastIndexOf(": ", StringComparison.Ordinal);
                    if (colon >= 0)
                        lines[at] = lines[at].Substring(0, colon + 2) + Replacements[random.Next(Replacements.Length)];
                    break;
                default:
                    string all = string.Join("\n", lines);
                    return all.Substring(0, random.Next(all.Length + 1));
            }
        }

        return string.Join("\n", lines);
    }
}

public class PathologicalInputTests
{
    [Theory]
    [InlineData("deep-flow")]
    [InlineData("deep-block")]
    [InlineData("deep-expression")]
    [InlineData("long-unary")]
    [InlineData("empty")]
    [InlineData("binary")]
    [InlineData("bad-tag")]
    public void Pathological_input_is_a_diagnostic_not_a_crash(string kind)
    {
        string text = kind switch
        {
            "deep-flow" => "classes: " + new string('[', 100_000),
            "deep-block" => string.Concat(Enumerable.Range(0, 500).Select(i => new string(' ', i) + "a:\n")),
            "deep-expression" => "classes: \"$x" + string.Concat(Enumerable.Repeat(" + (1", 5000)) + "\"",
            "long-unary" => "classes: \"$x" + string.Concat(Enumerable.Repeat(" - -1", 5000)) + "\"",
            "empty" => "",
            "bad-tag" => "params: { layer3_depth: !!s]r",
            _ => "\0\u0001\u00ff\ud800 : : :",
        };
        FrontEndResult r = SpecFiles.ExpandText(text);
        Assert.Null(r.Spec);
        Assert.NotEmpty(r.Diagnostics);
        Assert.DoesNotContain(r.Diagnostics, d => d.Id == "NS0015");
    }
}
