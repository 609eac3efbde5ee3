namespace NetSpec.Dsl.Catalog.Ops;

/// <summary>
/// A loss's attribute: the label id it ignores. Not written, it is the label input's <c>ignore:</c>
/// (Expansion/LabelIgnore.cs writes it), else 255.
/// </summary>
public sealed record LossAttributes(int IgnoreIndex) : Model.OpAttributes
{
    public static readonly IntAttr IgnoreIndexAttr = new("ignore_index", 255, -1, 65535);

    public static LossAttributes Read(AttrReader a) => new(a.Get(IgnoreIndexAttr));
}
