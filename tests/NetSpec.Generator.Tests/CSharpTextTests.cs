using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetSpec.Generator.Emit;

namespace NetSpec.Generator.Tests;

/// <summary>
/// The one escaping helper: any string, written through it as a literal, inside an interpolated string, in a comment
/// and in a doc comment, gives C# that compiles without a diagnostic and whose strings hold exactly that string.
/// </summary>
public class CSharpTextTests
{
    public static TheoryData<string> Texts => new()
    {
        """poc{System.Diagnostics.Process.Start("/bin/sh", "-c \"id > f\"").Id}""",
        "a\"; } class Evil { //",
        "line\nbreak\r\nand\u2028separators\u2029\u0085",
        "end */ /* comment",
        "</summary><evil attr='&'/>",
        "\\u0041 \\ backslash",
        "{{double}} {single} $\"nested\"",
        "\0nul\ttab\u202Eoverride",
        "",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Any_text_round_trips_through_every_escape(string text)
    {
        string source = $$"""
            /// <summary>Holds the text.</summary>
            public static class Holder
            {
                // {{CSharpText.Comment(text)}}
                /// <summary>{{CSharpText.DocComment(text)}}</summary>
                public static string Literal() => {{CSharpText.Literal(text)}};

                /// <summary>Interpolates {x} after the text.</summary>
                public static string Interpolated(int x) => $"{{CSharpText.Interpolated(text)}}{x}";
            }
            """;
        var options = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.EmptyCompilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(source, options));
        using var stream = new MemoryStream();
        var emit = compilation.Emit(stream);
        var problems = emit.Diagnostics.Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + source);
        Type holder = System.Reflection.Assembly.Load(stream.ToArray()).GetType("Holder")!;
        Assert.Equal(text, holder.GetMethod("Literal")!.Invoke(null, null));
        Assert.Equal(text + "7", holder.GetMethod("Interpolated")!.Invoke(null, new object[] { 7 }));
        Assert.Single(CSharpSyntaxTree.ParseText(source, options).GetRoot().DescendantTrivia(), t => t.IsKind(SyntaxKind.SingleLineCommentTrivia));
    }

    [Fact]
    public void Comments_are_one_line_without_a_comment_end()
    {
        string comment = CSharpText.Comment("a\nb\r*/c\u2028");
        Assert.Equal("a\\u000Ab\\u000D*\\/c\\u2028", comment);
        Assert.Equal("&lt;c&gt; &amp;", CSharpText.DocComment("<c> &"));
    }
}
