using Microsoft.CodeAnalysis;

namespace NetSpec.Generator;

/// <summary>specs/*.yaml (AdditionalFiles) → one partial class per spec.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetSpecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
