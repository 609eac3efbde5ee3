using NetSpec.Dsl.Model;
using NetSpec.Dsl.Planning;
using NetSpec.Dsl.Shapes;

namespace NetSpec.Dsl.Catalog;

/// <summary>A buffer a step keeps beside its output, named <c>node.suffix</c>, of <see cref="Elements"/> 4-byte slots.</summary>
public sealed record AuxBuffer(string Suffix, BufferKind Kind, EquatableArray<Dim> Elements);
