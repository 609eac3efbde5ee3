namespace NetSpec.Dsl.Model;

/// <summary>
/// An op's attributes as typed values, one record type per op kind (Catalog/Ops: <c>Conv2dAttributes</c>, …), read once
/// from the checked canonical text by the op's rule. Records compare by value, as the incremental cache needs.
/// </summary>
public abstract record OpAttributes;

/// <summary>The attributes of an op that takes none (relu, add, …).</summary>
public sealed record NoAttributes : OpAttributes
{
    public static readonly NoAttributes Instance = new();
}
