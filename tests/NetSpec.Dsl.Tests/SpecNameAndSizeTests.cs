using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Tests;

/// <summary>
/// Issue 12 in the front end and middle: the grammar of spec and class names (NS0025, NS0023), one-line messages for
/// any quoted input, and default sizes too large for a tensor (NS0028, never the internal error NS0015).
/// </summary>
public class SpecNameAndSizeTests
{
    private const string Template = """
        NAME
        classes: 2
        sizes: { N: SIZE_N, H: SIZE_H, W: SIZE_W }
        inputs:
          image: { shape: [N, 3, H, W] }
        groups:
          all: { members: [conv] }
        graph:
          conv: { op: conv2d, out_channels: 4, kernel: 3, padding: 1 }
          pool: { op: maxpool, kernel: 2, stride: 2 }
        outputs:
          out: pool
        """;

    private static string Spec(string name = "", long n = 1, long h = 8, long w = 8) =>
        Template.Replace("NAME", name).Replace("SIZE_N", n.ToString()).Replace("SIZE_H", h.ToString()).Replace("SIZE_W", w.ToString());

    private static CompileResult Compile(string text, string file = "test.yaml") =>
        SpecCompiler.Compile("specs/" + file, text, SpecFiles.Resolve);

    [Theory]
    [InlineData("sanet-r50")]
    [InlineData("a")]
    [InlineData("r50.v2_final-B")]
    public void Valid_spec_names(string name) => Assert.Null(SpecNames.SpecNameProblem(name));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("9lives", "it starts with '9', not an ASCII letter")]
    [InlineData("a b", "character  (U+0020) is not allowed")]
    [InlineData("a{b}", "character '{' (U+007B) is not allowed")]
    [InlineData("a\"b", "character '\"' (U+0022) is not allowed")]
    [InlineData("\u0441anet", "character 'с' (U+0441) is not allowed")]
    [InlineData("a\nb", "character  (U+000A) is not allowed")]
    public void Invalid_spec_names_say_what_is_wrong(string name, string problem) =>
        Assert.Equal(problem, SpecNames.SpecNameProblem(name));

    [Fact]
    public void A_name_of_65_characters_is_too_long_and_64_is_not()
    {
        Assert.Null(SpecNames.SpecNameProblem("a" + new string('b', 63)));
        Assert.Equal("it has 65 characters, more than 64", SpecNames.SpecNameProblem("a" + new string('b', 64)));
    }

    [Theory]
    [InlineData("SanetR50", null)]
    [InlineData("class", "it starts with 'c', not an upper-case ASCII letter")]
    [InlineData("_X", "it starts with '_', not an upper-case ASCII letter")]
    [InlineData("A-B", "character '-' (U+002D) is not allowed")]
    public void Class_names_start_upper_case_so_no_keyword_is_one(string name, string? problem) =>
        Assert.Equal(problem, SpecNames.ClassNameProblem(name));

    [Fact]
    public void A_spec_name_with_a_line_break_is_NS0025_at_the_name_in_one_line()
    {
        CompileResult r = Compile(Spec("name: \"evil\\n// line\""));
        SpecDiagnostic d = Assert.Single(r.Diagnostics);
        Assert.Equal(("NS0025", 1, 7), (d.Id, d.Location.Line, d.Location.Column));
        Assert.StartsWith("Invalid spec name 'evil\\n// line': character  (U+000A) is not allowed; a spec name is", d.Message, StringComparison.Ordinal);
        Assert.Null(r.Network);
    }

    [Fact]
    public void Every_message_is_one_line_whatever_it_quotes()
    {
        CompileResult r = Compile(Spec().Replace("conv: {", "\"co\\u202Env\\r\\n\": {"));
        SpecDiagnostic d = Assert.Single(r.Diagnostics, d => d.Id == "NS0023");
        Assert.All(r.Diagnostics, other => Assert.DoesNotContain(other.Message, c => c is '\n' or '\r' or '\u202E'));
        Assert.StartsWith("Invalid name 'co\\u202Env\\r\\n'", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(d.Message, c => c is '\n' or '\r' or '\u202E');
    }

    [Theory]
    [InlineData("a\u2028b", "a\\u2028b")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("×⌈H/4⌉ ok", "×⌈H/4⌉ ok")]
    public void One_line_escapes_breaks_and_controls_only(string text, string expected) =>
        Assert.Equal(expected, MessageText.OneLine(text));

    [Fact]
    public void An_input_size_other_than_N_H_W_is_NS0007_not_an_internal_error()
    {
        CompileResult r = Compile(Spec().Replace("sizes: { N: 1,", "sizes: { X: 4, N: 1,").Replace("[N, 3, H, W]", "[X, 3, H, W]"));
        SpecDiagnostic d = Assert.Single(r.Diagnostics, d => d.Id == "NS0007");
        Assert.Equal((5, 20), (d.Location.Line, d.Location.Column));
        Assert.DoesNotContain(r.Diagnostics, other => other.Id == "NS0015");
        Assert.Null(r.Network);
        Assert.Equal("A size is a symbol (N, H, W) or an int in [1, 1048576], got 'X'", d.Message);
    }

    [Fact]
    public void Default_sizes_of_a_million_are_NS0028_naming_the_tensor_and_its_sizes()
    {
        CompileResult r = Compile(Spec(n: 1_000_000, h: 1_000_000, w: 1_000_000));
        SpecDiagnostic d = Assert.Single(r.Diagnostics);
        Assert.Equal(("NS0028", 5, 3), (d.Id, d.Location.Line, d.Location.Column)); // at the image input
        Assert.Equal("Tensor 'image' (N,3,H,W) would have 1000000×3×1000000×1000000 elements at the default sizes (N=1000000, H=1000000, W=1000000), more than 2147483647 (2^31-1); lower N, H, W in sizes:", d.Message);
        Assert.Null(r.Network);
    }

    [Fact]
    public void The_first_tensor_over_the_limit_is_reported_and_one_at_the_limit_is_not()
    {
        // 3·H·W ≤ 2^31−1 with H = W = 26754 (3·26754² = 2,147,329,548): the image fits; the conv's 4·26754² = 2,863,106,064 does not.
        CompileResult r = Compile(Spec(h: 26754, w: 26754));
        SpecDiagnostic d = Assert.Single(r.Diagnostics);
        Assert.Equal(("NS0028", 9, 3), (d.Id, d.Location.Line, d.Location.Column)); // at conv
        Assert.StartsWith("Tensor 'conv' (N,4,H,W) would have 1×4×26754×26754 elements", d.Message, StringComparison.Ordinal);

        // 4·23170² = 2,147,395,600 ≤ 2^31−1: every tensor fits and the spec compiles
        Assert.Empty(Compile(Spec(h: 23170, w: 23170)).Diagnostics);
    }

    [Fact]
    public void Product_stops_at_the_limit_without_wrapping()
    {
        Assert.Equal(int.MaxValue, Shapes.SizeLimits.Product(new long[] { int.MaxValue, 1 }));
        Assert.Null(Shapes.SizeLimits.Product(new long[] { 1L << 16, 1L << 15 }));
        Assert.Null(Shapes.SizeLimits.Product(new long[] { 1L << 40, 1L << 40, 1L << 40 })); // 2^120 would wrap a long to 0
    }
}
