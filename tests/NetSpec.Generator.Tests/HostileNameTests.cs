using Microsoft.CodeAnalysis;

namespace NetSpec.Generator.Tests;

/// <summary>
/// Spec strings that reach generated C# (issue 12): hostile spec names, class names and node names give one NS
/// diagnostic at their YAML position and no C# error; accepted odd names compile and round-trip exactly.
/// </summary>
public class HostileNameTests
{
    // A spec with a label, a loss and a batch norm (aux buffers bn_mean, bn_inv_std), so that most members exist.
    private const string Template = """
        NAME
        classes: 3
        sizes: { N: 1, H: 8, W: 8 }
        inputs:
          image: { shape: [N, 3, H, W] }
          label: { shape: [N, H, W], kind: label }
        groups:
          all: { members: [conv, bn] }
        graph:
          conv: { op: conv2d, out_channels: 3, kernel: 3, padding: 1 }
          bn: { op: batchnorm }
          EXTRA
        outputs:
          mask: bn
        losses:
          ce: { op: softmax_cross_entropy, in: [bn, label] }
        """;

    internal static string Spec(string nameLine = "", string extra = "") =>
        Template.Replace("NAME", nameLine).Replace("EXTRA", extra);

    /// <summary>1-based (line, column) of <paramref name="token"/> in <paramref name="text"/>.</summary>
    internal static (int Line, int Column) Find(string text, string token)
    {
        int start = text.IndexOf(token, StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{token}' not in the spec");
        string before = text[..start];
        return (before.Count(ch => ch == '\n') + 1, start - (before.LastIndexOf('\n') + 1) + 1);
    }

    internal static (int Line, int Column) Position(Diagnostic d)
    {
        var span = d.Location.GetLineSpan().StartLinePosition;
        return (span.Line + 1, span.Character + 1);
    }

    /// <summary>The run's only generator diagnostic is <paramref name="id"/> at <paramref name="at"/>; nothing generated for it, no C# error.</summary>
    private static Diagnostic Rejected(string spec, string id, (int Line, int Column) at)
    {
        var run = GeneratorHarness.GenerateOne(spec);
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.True(d.Id == id && Position(d) == at, $"expected {id} at {at}, got {d}");
        Assert.Equal("specs/test.yaml", d.Location.GetLineSpan().Path);
        Assert.DoesNotContain('\n', d.GetMessage());
        Assert.DoesNotContain('\r', d.GetMessage());
        Assert.Empty(run.Result.Results.Single().GeneratedSources); // nothing generated for a rejected spec
        Assert.Empty(run.CompileDiagnostics());
        return d;
    }

    public static TheoryData<string, string> HostileSpecNames => new()
    {
        // YAML scalar as written, what the message quotes
        { """'poc{System.Diagnostics.Process.Start("/bin/sh", "-c \"id > f\"").Id}'""", "poc{System.Diagnostics.Process.Start(" },
        { "'a\"; } class Evil { //'", "a\"; } class Evil { //" },
        { "\"new\\nline\"", "new\\nline" },
        { "\"carriage\\rreturn\"", "carriage\\rreturn" },
        { "\"sep\\u2028arator\"", "sep\\u2028arator" },
        { "'end */ comment'", "end */ comment" },
        { "'</summary><evil/>'", "</summary><evil/>" },
        { "'\\u0041'", "\\u0041" },
        { "\"\\u0441anet\"", "\u0441anet" }, // Cyrillic es: looks like 'canet'
        { "'naïve'", "naïve" },
        { "'two words'", "two words" },
        { "'-dash-first'", "-dash-first" },
        { "'9lives'", "9lives" },
        { "''", "" },
        { "'" + new string('a', 65) + "'", new string('a', 40) },
    };

    [Theory]
    [MemberData(nameof(HostileSpecNames))]
    public void A_hostile_spec_name_is_NS0025_at_the_name_and_no_CSharp_error(string yaml, string quoted)
    {
        string spec = Spec("name: " + yaml);
        Diagnostic d = Rejected(spec, "NS0025", Find(spec, yaml));
        Assert.StartsWith($"Invalid spec name '{quoted}", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_name_that_is_no_valid_spec_name_is_NS0025_at_the_start_of_the_file()
    {
        var run = GeneratorHarness.GenerateOne(Spec(), "my net.yaml");
        Diagnostic d = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(("NS0025", (1, 1)), (d.Id, Position(d)));
        Assert.Contains("'my net' (from the file name)", d.GetMessage());
        Assert.Empty(run.CompileDiagnostics());
    }

    public static TheoryData<string> HostileClassNames => new()
    {
        "class", "'@class'", "Evil{", "lower", "_Under", "Ѕpec" /* Cyrillic capital dze */, "A" + new string('b', 64), "'A\\nB'",
    };

    [Theory]
    [MemberData(nameof(HostileClassNames))]
    public void A_hostile_class_name_is_NS0023_at_the_class(string yaml)
    {
        string spec = Spec("class: " + yaml);
        (int line, int column) = Find(spec, "class: " + yaml);
        Diagnostic d = Rejected(spec, "NS0023", (line, column + "class: ".Length));
        Assert.Contains("class: is a C# class name", d.GetMessage());
    }

    public static TheoryData<string> ReservedClassNames => new() { "Tensor", "Device", "Support", "Parameter", "Math", "INetwork", "ArgumentException" };

    [Theory]
    [MemberData(nameof(ReservedClassNames))]
    public void A_class_name_that_hides_a_type_the_generated_code_uses_is_NS0027(string name)
    {
        string spec = Spec("class: " + name);
        (int line, int column) = Find(spec, "class: " + name);
        Diagnostic d = Rejected(spec, "NS0027", (line, column + "class: ".Length));
        Assert.Contains($"'{name}'", d.GetMessage());
    }

    public static TheoryData<string, string> OddButValidNames => new()
    {
        { "x", "X" },
        { "a.b-c_d", "ABCD" },
        { "Class", "Class" },
        { "r50.v2-final", "R50V2Final" },
        { "a" + new string('z', 63), "A" + new string('z', 63) },
    };

    [Theory]
    [MemberData(nameof(OddButValidNames))]
    public void Odd_but_valid_spec_names_compile_and_round_trip_exactly(string name, string className)
    {
        var run = GeneratorHarness.GenerateOne(Spec($"name: '{name}'"));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics());
        using var stream = new MemoryStream();
        Assert.True(run.Output.Emit(stream).Success);
        var assembly = System.Reflection.Assembly.Load(stream.ToArray());
        Type type = assembly.GetType("NetSpec.Networks." + className, throwOnError: true)!;
        using var device = NetSpec.Runtime.Device.Create("cpu");
        var net = (NetSpec.Runtime.INetwork)Activator.CreateInstance(type, device)!;
        Assert.Equal(name, net.SpecName);
        var e = Assert.Throws<ArgumentException>(() => net.Output("nope"));
        Assert.StartsWith($"unknown output 'nope' of {name}; outputs: mask", e.Message, StringComparison.Ordinal);
        var sizes = Assert.Throws<ArgumentOutOfRangeException>(() => net.Prepare(0, 8, 8, training: false));
        Assert.StartsWith($"{name}: sizes must be positive, got 0×3×8×8", sizes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_path_with_a_line_break_and_a_comment_end_stays_inside_the_header_comment()
    {
        var run = GeneratorHarness.Generate(new[] { new InMemoryText("specs/we*/ird\nclass Evil {}/test.yaml", Spec("name: odd-path")) });
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompileDiagnostics());
        string header = run.Source("OddPath.g.cs").Split('\n')[1];
        Assert.Equal("// Generated by NetSpec from specs/we*\\/ird\\u000Aclass Evil {}/test.yaml. Do not edit: change the spec.", header);
    }
}
