using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Catalog.Ops;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Expansion;

/// <summary>
/// An op with an <c>ignore_index</c> attribute that reads a label input and does not set it takes the
/// label's <c>ignore:</c> value, so the label declaration is the one place that says which id is ignored.
/// </summary>
internal static class LabelIgnore
{
    private static readonly IntAttr IgnoreIndex = LossAttributes.IgnoreIndexAttr;

    public static void Apply(List<OpNode> nodes, List<InputDecl> inputs)
    {
        var labels = inputs.Where(i => i.Kind == InputKind.Label).ToDictionary(i => i.Name);
        for (int i = 0; i < nodes.Count; i++)
        {
            OpNode n = nodes[i];
            OpRule rule = OpCatalog.Rule(n.Op);
            if (n.Get(IgnoreIndex.Name) is not null || !rule.Spec.Attrs.Contains(IgnoreIndex))
                continue;
            InputDecl? label = n.Inputs.Where(labels.ContainsKey).Select(x => labels[x]).FirstOrDefault();
            if (label is not null)
            {
                var attr = new Attr(IgnoreIndex.Name, label.IgnoreLabel.ToString(CultureInfo.InvariantCulture), label.Location);
                EquatableArray<Attr> written = n.Attrs.Append(attr).ToEquatableArray();
                nodes[i] = n with { Attrs = written, Attributes = rule.Bind(written) };
            }
        }
    }
}
