using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Model;

namespace NetSpec.Dsl.Expansion;

/// <summary>
/// An op with an <c>ignore_index</c> attribute that reads a label input and does not set it takes the
/// label's <c>ignore:</c> value, so the label declaration is the one place that says which id is ignored.
/// </summary>
internal static class LabelIgnore
{
    public static void Apply(List<OpNode> nodes, List<InputDecl> inputs)
    {
        var labels = inputs.Where(i => i.Kind == InputKind.Label).ToDictionary(i => i.Name);
        for (int i = 0; i < nodes.Count; i++)
        {
            OpNode n = nodes[i];
            if (n.Get("ignore_index") is not null || OpCatalog.Find(n.Op)?.Attrs.Any(a => a.Name == "ignore_index") != true)
                continue;
            InputDecl? label = n.Inputs.Where(labels.ContainsKey).Select(x => labels[x]).FirstOrDefault();
            if (label is not null)
            {
                var attr = new Attr("ignore_index", label.IgnoreLabel.ToString(CultureInfo.InvariantCulture), label.Location);
                nodes[i] = n with { Attrs = n.Attrs.Append(attr).ToEquatableArray() };
            }
        }
    }
}
