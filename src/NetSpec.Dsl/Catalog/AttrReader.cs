using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Catalog;

/// <summary>A node's checked attributes as written, read through their declarations: the written value, else the default.</summary>
public sealed class AttrReader(string op, EquatableArray<Attr> written)
{
    public T Get<T>(AttrSpec<T> spec)
    {
        foreach (Attr a in written)
            if (a.Key == spec.Name)
                return spec.Parse(a.Value);
        return spec.Absent(op);
    }
}
