// netstandard2.0 lacks this marker type, which the compiler needs for `init` accessors and records. NetSpec.Dsl and
// NetSpec.Generator (netstandard2.0: they run inside the compiler) each compile this file in (as a linked file),
// instead of a polyfill generator: PolySharp emitted its ~35 polyfills in an order that changed with every compiler
// process, so the two assemblies were not deterministic (scripts/consumer-test.sh packs twice and compares).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
