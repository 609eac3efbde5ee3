using System.Collections.Generic;
using System.Linq;
using NetSpec.Dsl.Catalog;
using NetSpec.Dsl.Diagnostics;
using NetSpec.Dsl.Model;
using NetSpec.Dsl.Parsing;

namespace NetSpec.Dsl.Expansion;

/// <summary>
/// Reads <c>groups:</c> and puts every node in the first group with a member that is the node's name or a
/// prefix of it (<c>members: [backbone]</c> holds <c>backbone.layer1.0.conv1</c>). A node with parameters
/// in no group is an error (NS0022): its learning rate would be a guess.
/// </summary>
internal sealed class GroupAssigner
{
    private readonly ValueChecks values;
    private readonly DiagnosticBag diagnostics;

    public GroupAssigner(ValueChecks values, DiagnosticBag diagnostics)
    {
        this.values = values;
        this.diagnostics = diagnostics;
    }

    public List<ParamGroupDecl> Assign(List<GroupSpec> specs, List<OpNode> nodes, Scope scope)
    {
        var groups = new List<ParamGroupDecl>();
        foreach (GroupSpec g in specs)
        {
            double lr = g.LrMult is null ? 1.0 : values.Number(g.LrMult, scope, "lr_mult:", 0, 1e6) ?? 1.0;
            bool decay = g.WeightDecay is null || (values.Bool(g.WeightDecay, scope, "weight_decay:") ?? true);
            groups.Add(new ParamGroupDecl(g.Name.Value, lr, decay, g.Name.Location));
            foreach (YScalar m in g.Members)
                if (!diagnostics.HasErrors && !nodes.Any(n => Holds(m.Value, n.Name)))
                    diagnostics.Report(DiagnosticCatalog.UnknownTensor, m.Location, m.Value, "No node has this name or prefix", "");
        }

        for (int i = 0; i < nodes.Count; i++)
        {
            OpNode n = nodes[i];
            GroupSpec? group = specs.FirstOrDefault(g => g.Members.Any(m => Holds(m.Value, n.Name)));
            if (group is not null)
                nodes[i] = n with { ParamGroup = group.Name.Value };
            else if (OpCatalog.Find(n.Op) is { Parameters.Length: > 0 })
                diagnostics.Report(DiagnosticCatalog.NoParamGroup, n.Location, n.Name, string.Join(", ", specs.Select(g => g.Name.Value).DefaultIfEmpty("(none)")));
        }

        return groups;
    }

    private static bool Holds(string member, string node) =>
        node == member || node.StartsWith(member + ".", System.StringComparison.Ordinal);
}
