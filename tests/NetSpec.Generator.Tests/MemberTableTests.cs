using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetSpec.Generator.Emit;
using NetSpec.Generator.Model;

namespace NetSpec.Generator.Tests;

/// <summary>
/// The collision check (NS0027) is only as good as its member table: here the table is compared with what Roslyn
/// finds in the generated code of every repository spec, so an emitter that adds a member the table lacks fails.
/// </summary>
public class MemberTableTests
{
    // The tiny specs have the ops and blocks of the large ones (they extend them), at a fraction of the compile time.
    private static IEnumerable<InMemoryText> Specs() => GeneratorHarness.RepositorySpecs().Where(s => s.Path.Contains("tiny") || s.Path.Contains("base") || s.Path.Contains("r50"));

    private static readonly Lazy<GeneratorHarness.Run> Repository = new(() => GeneratorHarness.Generate(Specs()));

    public static TheoryData<string> RepositorySpecFiles => new(Specs().Select(s => s.Path).Where(p => p.Contains("tiny")));

    [Theory]
    [MemberData(nameof(RepositorySpecFiles))]
    public void The_table_lists_exactly_the_members_of_the_generated_class(string path)
    {
        var files = Specs().Select(s => new SpecFile(s.Path, s.GetText().ToString())).ToImmutableArray();
        SpecOutput output = SpecPipeline.Compile(files.Single(f => f.Path == path), files);
        Assert.NotNull(output.Network);
        var context = new EmitContext(output.Network);
        var table = MemberTable.Members(context).Select(m => m.Member).ToList();
        Assert.Equal(context.Spec.ClassName, table[0]);

        INamedTypeSymbol type = Repository.Value.Output.GetTypeByMetadataName("NetSpec.Networks." + context.Spec.ClassName)!;
        var declared = type.GetMembers().Where(m => !m.IsImplicitlyDeclared && m.MethodKind() is not MethodKind.Constructor and not MethodKind.PropertyGet and not MethodKind.PropertySet)
            .Select(m => m.Name).ToList();
        Assert.Equal(declared.Distinct().OrderBy(n => n, StringComparer.Ordinal), table.Skip(1).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_type_or_namespace_the_generated_code_names_is_a_reserved_class_name()
    {
        Compilation compilation = Repository.Value.Output;
        var named = new SortedSet<string>(StringComparer.Ordinal);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (SimpleNameSyntax name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                bool leftmost = name.Parent switch
                {
                    QualifiedNameSyntax q => q.Left == name,
                    MemberAccessExpressionSyntax m => m.Expression == name,
                    _ => true,
                };
                if (leftmost && !name.IsVar && name.Ancestors().OfType<UsingDirectiveSyntax>().FirstOrDefault() is null
                    && model.GetSymbolInfo(name).Symbol is INamedTypeSymbol or INamespaceSymbol
                    && model.GetSymbolInfo(name).Symbol!.ContainingNamespace?.ToDisplayString() != "NetSpec.Networks")
                    named.Add(name.Identifier.ValueText);
            }
        }

        Assert.NotEmpty(named);
        var missing = named.Except(MemberTable.ReservedTypeNames).ToList();
        Assert.True(missing.Count == 0, "not reserved: " + string.Join(", ", missing));
    }
}

internal static class SymbolKinds
{
    public static MethodKind? MethodKind(this ISymbol symbol) => (symbol as IMethodSymbol)?.MethodKind;
}
